package dev.chorus.cli;

import dev.chorus.config.KeySettings;
import dev.chorus.validator.ValidatorKey;
import dev.chorus.validator.state.FileProblem;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chorus key}: the encrypted keystore a validator, a miner or the chain commands sign with. */
@Command(name = "key", mixinStandardHelpOptions = true,
        description = "Write the encrypted keystore (Ethereum V3, scrypt) that key.keystore_file or --keystore points"
                + " at, readable by its owner alone, with the password from an environment variable.",
        subcommands = {KeyCommand.NewKey.class, KeyCommand.ImportKey.class})
final class KeyCommand {

    /** What both subcommands take: where the keystore goes and where its password comes from. */
    static final class Target {
        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "The keystore file to write; it must not exist yet.")
        Path out;

        @Option(names = "--keystore-password-env", paramLabel = "NAME",
                description = "Environment variable holding the new keystore's password, at least "
                        + ValidatorKey.MIN_PASSWORD_LENGTH + " characters (default: ${DEFAULT-VALUE}).")
        String passwordEnv = KeySettings.defaults().keystorePasswordEnv();

        int write(Credentials key, Map<String, String> env, CommandLine.Model.CommandSpec spec) throws IOException {
            String password = env.get(passwordEnv);
            // Checked here, before saveKeystore refuses it, so the message names the variable to fix, not --out.
            if (password == null || password.length() < ValidatorKey.MIN_PASSWORD_LENGTH) {
                throw new UserInputException("the environment variable " + passwordEnv + " (--keystore-password-env)"
                        + (password == null ? " is not set" : " holds " + password.length() + " characters, fewer than "
                        + ValidatorKey.MIN_PASSWORD_LENGTH) + "; export the new keystore's password there, e.g. export "
                        + passwordEnv + "=$(openssl rand -hex 16), and keep it: the validator reads it from there at every"
                        + " start");
            }
            try {
                ValidatorKey.saveKeystore(key, password, out);
            } catch (IllegalArgumentException e) {
                throw new UserInputException("--out " + e.getMessage(), e);
            } catch (IOException e) {
                // Java's own message is the bare path, which does not say whether the folder is missing, a file or locked.
                throw new UserInputException("--out " + out + " cannot be written: " + FileProblem.describe(e)
                        + "; give a file in a folder this user can write to", e);
            }
            spec.commandLine().getOut().println("wrote " + out + " (owner-only) for hotkey " + key.getAddress()
                    + "; set key.keystore_file to it (--keystore for the chain commands) and keep its password in "
                    + passwordEnv);
            return 0;
        }
    }

    @Command(name = "new", mixinStandardHelpOptions = true,
            description = "Generate a new hotkey and write it to a keystore; prints its address.")
    static final class NewKey implements Callable<Integer> {
        @CommandLine.Mixin
        Target target;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private final Map<String, String> env;

        NewKey() {
            this(System.getenv());
        }

        NewKey(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public Integer call() throws IOException, GeneralSecurityException {
            return target.write(Credentials.create(Keys.createEcKeyPair()), env, spec);
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Write the hotkey held in an environment variable (0x hex) to a keystore, so that it need not"
                    + " stay in the environment.")
    static final class ImportKey implements Callable<Integer> {
        @CommandLine.Mixin
        Target target;

        @Option(names = "--key-env", paramLabel = "NAME",
                description = "Environment variable holding the 0x hex private key (default: ${DEFAULT-VALUE}).")
        String keyEnv = KeySettings.defaults().privateKeyEnv();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        private final Map<String, String> env;

        ImportKey() {
            this(System.getenv());
        }

        ImportKey(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public Integer call() throws IOException {
            Credentials key;
            try {
                key = ValidatorKey.load(new KeySettings(keyEnv, null, target.passwordEnv), env,
                        ValidatorKey.SettingNames.IMPORT_FLAGS);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage(), e);
            }
            return target.write(key, env, spec);
        }
    }
}
