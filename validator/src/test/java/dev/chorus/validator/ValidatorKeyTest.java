package dev.chorus.validator;

import dev.chorus.cli.ChorusCommand;
import dev.chorus.config.KeySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.WalletUtils;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
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
    void aWrongKeystorePasswordSaysSoWithoutRepeatingIt() throws Exception {
        Path keystore = keystore("correct horse");
        assertThatThrownBy(() -> ValidatorKey.load(new KeySettings("UNUSED", keystore, "KS_PASSWORD"),
                Map.of("KS_PASSWORD", "battery staple")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wrong password")
                .hasMessageNotContaining("battery staple")
                .hasMessageNotContaining(KEY);
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
                .hasMessageContaining("64 hex digits")
                .hasMessageNotContaining(almost);
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
