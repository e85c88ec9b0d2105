package dev.chorus.bench.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A truth file is checked entry by entry when read, so a damaged one fails before a replay, naming what to fix. */
class TruthFileTest {

    @TempDir
    Path dir;

    private Path file(String json) throws Exception {
        return Files.writeString(dir.resolve(TruthFile.FILE_NAME), json);
    }

    @Test
    void anEmptyListIsRefusedRatherThanReadAsNoTruth() throws Exception {
        Path truth = file("[]");
        assertThatThrownBy(() -> TruthFile.find(truth, dir.resolve("rounds.jsonl"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(truth + " names no miner").hasMessageContaining("one {uid, minerClass, quality} entry per miner");
    }

    @Test
    void aTruthThatIsNotAFileSaysSo() {
        assertThatThrownBy(() -> TruthFile.find(dir, dir.resolve("rounds.jsonl"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir + " is not a regular file");
        assertThatThrownBy(() -> TruthFile.find(dir.resolve("nope.json"), dir.resolve("rounds.jsonl")))
                .hasMessageContaining("nope.json does not exist");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"uid\": 1, \"quality\": 1.0}|entry 1|minerClass must be one of honest, noisy, copycat, colluder, lazy",
            "{\"uid\": 1, \"minerClass\": \"honset\", \"quality\": 1.0}|entry 1|found \"honset\"",
            "{\"uid\": 1, \"minerClass\": \"honest\"}|entry 1|quality must be a number in [0, 1]",
            "{\"uid\": 1, \"minerClass\": \"honest\", \"quality\": 1.5}|entry 1|found 1.5",
            "{\"minerClass\": \"lazy\", \"quality\": 0}|entry 1|uid must be a whole number",
            "{\"uid\": -3, \"minerClass\": \"lazy\", \"quality\": 0}|entry 1|uid must be a whole number",
    })
    void aBadEntryIsRefusedNamingTheFileTheEntryAndTheFix(String entry, String where, String what) throws Exception {
        Path truth = file("[" + entry + "]");
        assertThatThrownBy(() -> TruthFile.read(truth)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(truth.toString()).hasMessageContaining(where).hasMessageContaining(what)
                .hasMessageContaining("Fix them");
    }

    @Test
    void aUidNamedTwiceIsRefused() throws Exception {
        Path truth = file("[{\"uid\": 2, \"minerClass\": \"lazy\", \"quality\": 0},"
                + " {\"uid\": 2, \"minerClass\": \"honest\", \"quality\": 1}]");
        assertThatThrownBy(() -> TruthFile.read(truth)).hasMessageContaining("entry 2").hasMessageContaining("named twice");
    }

    @Test
    void notAListIsRefused() throws Exception {
        Path truth = file("{\"uid\": 2}");
        assertThatThrownBy(() -> TruthFile.read(truth)).hasMessageContaining("is not a JSON list");
    }

    /** `cd demo; chorus-bench replay --rounds validator-0`, or `--rounds .` inside it, must find the demo's truth too. */
    @Test
    void aTruthOneFolderUpIsFoundHoweverTheStateFolderIsSpelt() throws Exception {
        Map<Integer, MinerTruth> written = Map.of(3, new MinerTruth(3, "lazy", 0));
        TruthFile.write(dir.resolve(TruthFile.FILE_NAME), written);
        Path stateFolder = Files.createDirectory(dir.resolve("validator-0"));
        Files.writeString(stateFolder.resolve("rounds.jsonl"), "");

        assertThat(TruthFile.find(null, stateFolder.resolve("."))).isEqualTo(written);
        assertThat(TruthFile.find(null, stateFolder.resolve(".").resolve("rounds.jsonl"))).isEqualTo(written);
        assertThat(TruthFile.find(null, Path.of("").toAbsolutePath().relativize(stateFolder))).isEqualTo(written);
    }

    @Test
    void whatScenarioWritesReadsBack() throws Exception {
        Map<Integer, MinerTruth> written = Map.of(0, new MinerTruth(0, "honest", 1), 4, new MinerTruth(4, "noisy", 0.25));
        TruthFile.write(dir.resolve(TruthFile.FILE_NAME), written);
        assertThat(TruthFile.read(dir.resolve(TruthFile.FILE_NAME))).isEqualTo(written);
    }
}
