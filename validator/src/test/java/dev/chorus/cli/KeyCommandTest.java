package dev.chorus.cli;

import dev.chorus.config.KeySettings;
import dev.chorus.validator.ValidatorKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chorus key new|import}: keystores the validator loads back, owner-only, never overwritten. */
class KeyCommandTest {

    static final String PASSWORD = "correct horse battery";
    static final String DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    record Run(int code, String out, String err) {
    }

    static Run key(Map<String, String> env, String... args) {
        CommandLine chorus = ChorusCommand.commandLine();
        CommandLine key = chorus.getSubcommands().get("key");
        key.getCommandSpec().removeSubcommand("new");
        key.getCommandSpec().removeSubcommand("import");
        key.addSubcommand("new", new KeyCommand.NewKey(env));
        key.addSubcommand("import", new KeyCommand.ImportKey(env));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        chorus.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] line = new String[args.length + 1];
        line[0] = "key";
        System.arraycopy(args, 0, line, 1, args.length);
        return new Run(chorus.execute(line), out.toString(), err.toString());
    }

    static Credentials loadBack(Path file) {
        return ValidatorKey.load(new KeySettings("UNUSED", file, "PW"), Map.of("PW", PASSWORD));
    }

    @Test
    void importWritesAnOwnerOnlyKeystoreOfTheSameKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/hotkey.json");
        Run run = key(Map.of("CHORUS_PRIVATE_KEY", DEV_KEY, "CHORUS_KEYSTORE_PASSWORD", PASSWORD),
                "import", "--out", file.toString());

        assertThat(run.code()).as(run.err()).isZero();
        String address = Credentials.create(DEV_KEY).getAddress();
        assertThat(loadBack(file).getAddress()).isEqualTo(address);
        assertThat(run.out()).contains(address).contains("key.keystore_file");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).doesNotContain(DEV_KEY.substring(2));
    }

    @Test
    void newWritesAFreshKeyAndPrintsItsAddress(@TempDir Path dir) {
        Path file = dir.resolve("new.json");
        Run run = key(Map.of("KS_PW", PASSWORD), "new", "--out", file.toString(), "--keystore-password-env", "KS_PW");

        assertThat(run.code()).as(run.err()).isZero();
        String address = loadBack(file).getAddress();
        assertThat(run.out()).contains(address).contains("KS_PW");
        assertThat(address).isNotEqualTo(Credentials.create(DEV_KEY).getAddress());
    }

    @Test
    void anExistingFileIsNeverOverwritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hotkey.json");
        Files.writeString(file, "the only copy");
        Run run = key(Map.of("CHORUS_KEYSTORE_PASSWORD", PASSWORD), "new", "--out", file.toString());

        assertThat(run.code()).isEqualTo(ChorusCommand.EXIT_USAGE);
        assertThat(run.err()).contains("already exists").contains("never overwritten");
        assertThat(Files.readString(file)).isEqualTo("the only copy");
    }

    @Test
    void aMissingOrShortPasswordSaysWhatToExportAndWritesNothing(@TempDir Path dir) {
        Path file = dir.resolve("hotkey.json");
        Run missing = key(Map.of("CHORUS_PRIVATE_KEY", DEV_KEY), "import", "--out", file.toString());
        assertThat(missing.code()).isEqualTo(ChorusCommand.EXIT_USAGE);
        assertThat(missing.err()).contains("CHORUS_KEYSTORE_PASSWORD (--keystore-password-env) is not set");

        Run shortOne = key(Map.of("CHORUS_PRIVATE_KEY", DEV_KEY, "CHORUS_KEYSTORE_PASSWORD", "1234567"),
                "import", "--out", file.toString());
        assertThat(shortOne.code()).isEqualTo(ChorusCommand.EXIT_USAGE);
        assertThat(shortOne.err()).contains("CHORUS_KEYSTORE_PASSWORD (--keystore-password-env) holds 7 characters")
                .contains("fewer than 8");
        assertThat(file).doesNotExist();
    }

    @Test
    void anEmptyPasswordNamesTheVariableNotTheOutFile(@TempDir Path dir) {
        Path file = dir.resolve("hotkey.json");
        Run run = key(Map.of("KS_PW", ""), "new", "--out", file.toString(), "--keystore-password-env", "KS_PW");

        assertThat(run.code()).isEqualTo(ChorusCommand.EXIT_USAGE);
        assertThat(run.err()).startsWith("the environment variable KS_PW (--keystore-password-env) holds 0 characters")
                .contains("fewer than 8").doesNotContain("--out");
        assertThat(file).doesNotExist();
    }

    @Test
    void anOutFolderThatCannotBeMadeSaysWhyWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("notes.txt"), "a file, not a folder");
        Run run = key(Map.of("CHORUS_KEYSTORE_PASSWORD", PASSWORD), "new", "--out",
                notAFolder.resolve("hotkey.json").toString());

        assertThat(run.code()).isEqualTo(ChorusCommand.EXIT_USAGE);
        assertThat(run.err()).contains("--out " + notAFolder.resolve("hotkey.json") + " cannot be written")
                .contains(notAFolder + " is a file, not a folder").doesNotContain("failed:");
        assertThat(Files.readString(notAFolder)).isEqualTo("a file, not a folder");
    }

    @Test
    void importWithoutAKeyNamesTheFlagToSet(@TempDir Path dir) {
        Run run = key(Map.of("CHORUS_KEYSTORE_PASSWORD", PASSWORD), "import", "--out", dir.resolve("k.json").toString(),
                "--key-env", "MY_KEY");
        assertThat(run.code()).isEqualTo(ChorusCommand.EXIT_USAGE);
        assertThat(run.err()).contains("MY_KEY").contains("(--key-env)")
                .as("key import takes no --keystore; the key comes from the environment").doesNotContain("keystore file with");
    }
}
