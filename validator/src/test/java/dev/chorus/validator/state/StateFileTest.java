package dev.chorus.validator.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateFileTest {

    private static final String HOTKEY = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    @TempDir
    Path dir;

    private static ValidatorState state() {
        ValidatorState.WeightsRecord pending = new ValidatorState.WeightsRecord("w-7", "commit", List.of(1, 2),
                List.of(65535, 3000), 0, List.of(11, 22), "0xabc", 120, 3, null, "intended", "");
        return new ValidatorState(ValidatorState.SCHEMA, 1, HOTKEY, 7, 1_700_000_000_000L,
                List.of(new ValidatorState.ScoreEntry(0, "0xaa", 0.8, 0.9),
                        new ValidatorState.ScoreEntry(1, "0xbb", 0.1, 0.0)), null, pending);
    }

    @Test
    void savedStateLoadsEqual() throws IOException {
        StateFile file = new StateFile(dir);
        file.save(state());
        assertThat(file.load(1, HOTKEY)).contains(state());
    }

    @Test
    void noFileMeansNoState() throws IOException {
        assertThat(new StateFile(dir).load(1, HOTKEY)).isEmpty();
    }

    @Test
    void damagedFileIsSetAsideAndReported() throws IOException {
        StateFile file = new StateFile(dir);
        Files.writeString(file.path(), "{\"schema\":1,\"netuid\":1,");
        assertThatThrownBy(() -> file.load(1, HOTKEY)).isInstanceOf(StateFile.DamagedStateException.class)
                .hasMessageContaining("is damaged").hasMessageContaining("corrupt-");
        assertThat(file.path()).doesNotExist();
        try (var files = Files.list(dir)) {
            assertThat(files).anySatisfy(p -> assertThat(p.getFileName().toString()).startsWith(StateFile.FILE_NAME + ".corrupt-"));
        }
    }

    /**
     * Java says only the path when a file cannot be read (a backup copied back by root, owner-only, or a folder in its
     * place): the start then failed with "state/validator-state.json" and nothing else. A folder is in the way even
     * for root, who reads any file.
     */
    @Test
    void aStateFileThatCannotBeReadIsNamedWithTheProblemAndKept() throws IOException {
        StateFile file = new StateFile(dir);
        Files.createDirectories(file.path().resolve("in-the-way"));
        assertThatThrownBy(() -> file.load(1, HOTKEY)).isInstanceOf(StateFile.InvalidStateException.class)
                .isNotInstanceOf(StateFile.DamagedStateException.class)
                .hasMessageStartingWith("state file " + file.path() + " cannot be read: ")
                .hasMessageContaining("Is a directory").hasMessageContaining("move it away");
        assertThat(file.path()).isDirectory();
    }

    @Test
    void scoreOutsideUnitRangeIsDamage() throws IOException {
        StateFile file = new StateFile(dir);
        file.save(state());
        Files.writeString(file.path(), Files.readString(file.path()).replace("0.8", "8.0"));
        assertThatThrownBy(() -> file.load(1, HOTKEY)).hasMessageContaining("outside [0, 1]");
    }

    @Test
    void scoreWithoutItsHotkeyIsDamage() throws IOException {
        StateFile file = new StateFile(dir);
        file.save(state());
        Files.writeString(file.path(), Files.readString(file.path()).replace("\"0xbb\"", "null"));
        assertThatThrownBy(() -> file.load(1, HOTKEY)).isInstanceOf(StateFile.DamagedStateException.class)
                .hasMessageContaining("score of uid 1 names no hotkey");
    }

    @Test
    void scoresOutOfUidOrderAreDamage() throws IOException {
        StateFile file = new StateFile(dir);
        file.save(state());
        Files.writeString(file.path(), Files.readString(file.path()).replace("\"uid\" : 1", "\"uid\" : 5"));
        assertThatThrownBy(() -> file.load(1, HOTKEY)).isInstanceOf(StateFile.DamagedStateException.class)
                .hasMessageContaining("score entry 1 is for uid 5");
    }

    /** A downgrade must not cost the score book: the newer file stops the start and stays where it is. */
    @Test
    void aFileOfANewerVersionIsRefusedAndKept() throws IOException {
        StateFile file = new StateFile(dir);
        file.save(state());
        String saved = Files.readString(file.path());
        Files.writeString(file.path(), saved.replace("\"schema\" : 1", "\"schema\" : 2"));
        assertThatThrownBy(() -> file.load(1, HOTKEY)).isInstanceOf(StateFile.InvalidStateException.class)
                .isNotInstanceOf(StateFile.DamagedStateException.class)
                .hasMessageContaining("written by a newer version of chorus (schema 2; this one reads 1)");
        assertThat(file.path()).exists();

        Files.writeString(file.path(), saved.replace("\"round\" : 7,", "\"round\" : 7, \"future_field\" : true,"));
        assertThatThrownBy(() -> file.load(1, HOTKEY)).isInstanceOf(StateFile.InvalidStateException.class)
                .isNotInstanceOf(StateFile.DamagedStateException.class)
                .hasMessageContaining("has a field 'future_field' at line").hasMessageContaining("left as it is");
        assertThat(file.path()).exists();
    }

    @Test
    void damageIsNamedOnOneLineWithTheFieldAndHowToGetTheScoresBack() throws IOException {
        StateFile file = new StateFile(dir);
        file.save(state());
        Files.writeString(file.path(), Files.readString(file.path()).replace("\"score\" : 0.1", "\"score\" : null"));
        assertThatThrownBy(() -> file.load(1, HOTKEY)).isInstanceOf(StateFile.DamagedStateException.class)
                .hasMessageContaining("in scores[1].score at line")
                .hasMessageContaining("repair that file and move it back to " + file.path())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("DeserializationFeature"));
    }

    /** A pending record is sent again after a restart as it stands: values no chain takes are damage, not a send. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"values\" : [ 65535, 3000 ]|\"values\" : [ 70000, 3000 ]|70000, which is not a uint16",
            "\"uids\" : [ 1, 2 ]|\"uids\" : [ -1, 2 ]|-1, which is not a uint16",
            "\"kind\" : \"commit\"|\"kind\" : \"reveal\"|of kind 'reveal', not set or commit",
            "\"salt\" : [ 11, 22 ]|\"salt\" : [ ]|a commit without its salt or hash"})
    void aWeightsRecordTheChainWouldNotTakeIsDamage(String was, String edited, String message) throws IOException {
        StateFile file = new StateFile(dir);
        file.save(state());
        String saved = Files.readString(file.path());
        assertThat(saved).contains(was);
        Files.writeString(file.path(), saved.replace(was, edited));
        assertThatThrownBy(() -> file.load(1, HOTKEY)).isInstanceOf(StateFile.DamagedStateException.class)
                .hasMessageContaining("weights w-7 ").hasMessageContaining(message);
    }

    @Test
    void theAdminViewOfAnUnrevealedCommitHidesItsSaltAndWeights() {
        ValidatorState.WeightsRecord commit = state().pending();
        ValidatorState.WeightsRecord shown = commit.publicView();
        assertThat(shown.salt()).isEmpty();
        assertThat(shown.uids()).isEmpty();
        assertThat(shown.values()).isEmpty();
        assertThat(shown.commitHash()).isEqualTo(commit.commitHash());

        ValidatorState.WeightsRecord revealed = commit.with("revealed", "0xfeed", 130, "").publicView();
        assertThat(revealed.salt()).isEmpty();
        assertThat(revealed.uids()).containsExactly(1, 2);
        assertThat(revealed.values()).containsExactly(65535, 3000);
    }

    @Test
    void stateOfAnotherHotkeyIsRefusedAndKept() throws IOException {
        StateFile file = new StateFile(dir);
        file.save(state());
        assertThatThrownBy(() -> file.load(1, "0x0000000000000000000000000000000000000001"))
                .hasMessageContaining("belongs to netuid 1 and hotkey " + HOTKEY);
        assertThat(file.path()).exists();
    }
}
