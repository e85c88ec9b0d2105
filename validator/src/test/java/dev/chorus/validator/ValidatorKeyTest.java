package dev.chorus.validator;

import dev.chorus.cli.ChorusCommand;
import dev.chorus.config.KeySettings;
import dev.chorus.validator.hardening.LogSecretScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hotkey comes from an encrypted web3j keystore or an environment variable, never from the command line, and
 * no error about it repeats the key or the password.
 */
class ValidatorKeyTest {

    /** A made-up key: never a funded account. */
    private static final String KEY = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
    private static final String ADDRESS = Credentials.create(KEY).getAddress();
    /** Anvil's dev key #1: a key, but not the keystore's. */
    private static final String OTHER_KEY = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    @TempDir
    Path dir;

    @Test
    void loadsAnEncryptedKeystoreWithThePasswordFromTheEnvironment() throws Exception {
        Path keystore = keystore("correct horse");
        Credentials loaded = ValidatorKey.load(new KeySettings("UNUSED", keystore, "KS_PASSWORD"),
                Map.of("KS_PASSWORD", "correct horse"));
        assertThat(loaded.getAddress()).isEqualTo(ADDRESS);
    }

    @Test
    void aKeystoreOthersCanReadIsLoadedWithAWarningThatSaysHowToFixIt() throws Exception {
        Path keystore = keystore("correct horse");
        KeySettings settings = new KeySettings("UNUSED", keystore, "KS_PASSWORD");
        Map<String, String> env = Map.of("KS_PASSWORD", "correct horse");

        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-r--r--"));
        try (LogSecretScan log = LogSecretScan.start()) {
            assertThat(ValidatorKey.load(settings, env).getAddress()).isEqualTo(ADDRESS);
            assertThat(log.text()).contains("keystore " + keystore + " (key.keystore_file) can be read by other users"
                    + " (rw-r--r--)").contains("chmod 600");
        }

        Files.setPosixFilePermissions(keystore, PosixFilePermissions.fromString("rw-------"));
        try (LogSecretScan log = LogSecretScan.start()) {
            ValidatorKey.load(settings, env);
            assertThat(log.text()).doesNotContain("can be read by other users");
        }
    }

    @Test
    void aKeyInTheEnvironmentBesideAKeystoreIsIgnoredWithAWarningThatNamesItButNotItsValue() throws Exception {
        Path keystore = keystore("correct horse");
        Map<String, String> env = Map.of("KS_PASSWORD", "correct horse", "HOTKEY", OTHER_KEY);
        try (LogSecretScan log = LogSecretScan.start()) {
            assertThat(ValidatorKey.load(new KeySettings("HOTKEY", keystore, "KS_PASSWORD"), env).getAddress())
                    .as("the keystore's key").isEqualTo(ADDRESS);
            assertThat(log.text()).contains("the environment variable HOTKEY (key.private_key_env) holds a key, and"
                    + " key.keystore_file is set too: the keystore is used", "unset HOTKEY").doesNotContain(OTHER_KEY);
        }
    }

    @Test
    void aWrongKeystorePasswordSaysSoWithoutRepeatingIt() throws Exception {
        Path keystore = keystore("correct horse");
        assertThatThrownBy(() -> ValidatorKey.load(new KeySettings("UNUSED", keystore, "KS_PASSWORD"),
                Map.of("KS_PASSWORD", "battery staple")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("wrong password for keystore " + keystore + " (key.keystore_file)")
                .hasMessageContaining("KS_PASSWORD (key.keystore_password_env)")
                .hasMessageNotContaining("battery staple")
                .hasMessageNotContaining(KEY);
    }

    @Test
    void aMissingKeystoreSaysTheFileDoesNotExistAndBlamesNoPassword() {
        Path missing = dir.resolve("no-such-keystore.json");
        assertThatThrownBy(() -> ValidatorKey.load(new KeySettings("UNUSED", missing, "KS_PASSWORD"),
                Map.of("KS_PASSWORD", "correct horse")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keystore " + missing + " (key.keystore_file) does not exist; check the path");
    }

    @Test
    void aFileThatIsNotAV3KeystoreSaysSoWhateverItHolds() throws Exception {
        Map<String, String> reasons = Map.of(
                "garbage", "it is not JSON (unexpected text at line 1, column 8)",
                "", "the file is empty",
                "[1, 2]", "its JSON is not a keystore object;",
                "{\"version\": 3, \"address\": \"" + ADDRESS.substring(2) + "\"}", "it has no complete \"crypto\" section");
        for (Map.Entry<String, String> file : reasons.entrySet()) {
            Path keystore = Files.writeString(dir.resolve("not-a-keystore.json"), file.getKey());
            assertThatThrownBy(() -> ValidatorKey.load(new KeySettings("UNUSED", keystore, "KS_PASSWORD"),
                    Map.of("KS_PASSWORD", "correct horse")))
                    .as(file.getKey())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("keystore " + keystore + " (key.keystore_file) is not a web3j/Ethereum V3"
                            + " keystore: " + file.getValue())
                    .hasMessageNotContaining("password")
                    .hasMessageNotContaining("null");
        }
    }

    @Test
    void theCallerNamesTheSettingsAnErrorPointsTo() {
        ValidatorKey.SettingNames flags = new ValidatorKey.SettingNames("--key-env", "--keystore", "--keystore-password-env");
        assertThatThrownBy(() -> ValidatorKey.load(new KeySettings("HOTKEY", null, "UNUSED"), Map.of(), flags))
                .hasMessage("no hotkey: the environment variable HOTKEY (--key-env) is not set; export the 0x hex"
                        + " private key there, or give a keystore file with --keystore");
        assertThatThrownBy(() -> ValidatorKey.load(new KeySettings("HOTKEY", null, "UNUSED"), Map.of("HOTKEY", " "), flags))
                .hasMessageStartingWith("no hotkey: the environment variable HOTKEY (--key-env) is empty;");
    }

    @Test
    void aKeystoreWithoutItsPasswordVariableNamesTheVariable() throws Exception {
        Path keystore = keystore("correct horse");
        assertThatThrownBy(() -> ValidatorKey.load(new KeySettings("UNUSED", keystore, "KS_PASSWORD"), Map.of()))
                .hasMessageContaining("KS_PASSWORD");
    }

    @Test
    void loadsTheKeyFromTheNamedEnvironmentVariableWithOrWithout0x() {
        KeySettings settings = new KeySettings("HOTKEY", null, "UNUSED");
        assertThat(ValidatorKey.load(settings, Map.of("HOTKEY", KEY)).getAddress()).isEqualTo(ADDRESS);
        assertThat(ValidatorKey.load(settings, Map.of("HOTKEY", " 0x" + KEY + "\n")).getAddress()).isEqualTo(ADDRESS);
    }

    @Test
    void aMissingOrMalformedKeyNamesTheVariableButNeverEchoesItsValue() {
        KeySettings settings = new KeySettings("HOTKEY", null, "UNUSED");
        assertThatThrownBy(() -> ValidatorKey.load(settings, Map.of())).hasMessageContaining("HOTKEY");
        String almost = KEY.substring(1);
        assertThatThrownBy(() -> ValidatorKey.load(settings, Map.of("HOTKEY", almost)))
                .hasMessageContaining("HOTKEY (key.private_key_env) does not hold a private key: expected 64 hex digits")
                .hasMessageNotContaining(almost);
    }

    @Test
    void aKeyOutsideTheCurveIsRefusedWithoutEchoingIt() {
        KeySettings settings = new KeySettings("HOTKEY", null, "UNUSED");
        String order = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
        String aboveOrder = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff0";
        for (String key : new String[] {"0".repeat(64), "0x" + order, aboveOrder}) {
            assertThatThrownBy(() -> ValidatorKey.load(settings, Map.of("HOTKEY", key))).as(key)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("HOTKEY (key.private_key_env) does not hold a private key: as a number it must be at least 1 and below"
                            + " the secp256k1 curve order (0x" + order + ")");
        }
        assertThatThrownBy(() -> ValidatorKey.load(settings, Map.of("HOTKEY", aboveOrder))).hasMessageNotContaining(aboveOrder);
        String largest = new BigInteger(order, 16).subtract(BigInteger.ONE).toString(16);
        assertThat(ValidatorKey.load(settings, Map.of("HOTKEY", largest)).getAddress()).startsWith("0x");
        assertThat(ValidatorKey.load(settings, Map.of("HOTKEY", "0".repeat(63) + "1")).getAddress()).startsWith("0x");
    }

    @Test
    void theCommandLineTakesNoKey() {
        for (String[] args : new String[][]{{"validator", "--private-key", KEY}, {"validator", "--key", KEY},
                {"validator", "--set", "key.private_key=" + KEY}}) {
            CommandLine commandLine = ChorusCommand.commandLine();
            StringWriter err = new StringWriter();
            commandLine.setOut(new PrintWriter(new StringWriter(), true));
            commandLine.setErr(new PrintWriter(err, true));
            assertThat(commandLine.execute(args)).as(String.join(" ", args)).isEqualTo(2);
        }
    }

    private Path keystore(String password) throws Exception {
        ECKeyPair pair = ECKeyPair.create(new BigInteger(KEY, 16));
        String file = WalletUtils.generateWalletFile(password, pair, dir.toFile(), false);
        return dir.resolve(file);
    }
}
