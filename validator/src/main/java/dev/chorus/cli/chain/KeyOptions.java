package dev.chorus.cli.chain;

import dev.chorus.cli.UserInputException;
import dev.chorus.config.KeySettings;
import dev.chorus.validator.ValidatorKey;
import java.nio.file.Path;
import java.util.Map;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Option;

/** Where the signing key comes from; never the key itself on the command line. */
final class KeyOptions {

    @Option(names = "--key-env", paramLabel = "NAME", description = "Environment variable holding the 0x hex private key (default: ${DEFAULT-VALUE}).")
    String keyEnv = KeySettings.defaults().privateKeyEnv();

    @Option(names = "--keystore", paramLabel = "FILE", description = "A web3j (Ethereum V3) keystore file to sign with instead.")
    Path keystore;

    @Option(names = "--keystore-password-env", paramLabel = "NAME", description = "Environment variable holding the keystore password (default: ${DEFAULT-VALUE}).")
    String keystorePasswordEnv = KeySettings.defaults().keystorePasswordEnv();

    /** The environment keys are read from; tests substitute their own. */
    Map<String, String> environment = System.getenv();

    Credentials credentials() {
        try {
            return ValidatorKey.load(new KeySettings(keyEnv, keystore, keystorePasswordEnv), environment,
                    ValidatorKey.SettingNames.FLAGS);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }
}
