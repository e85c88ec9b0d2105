package dev.chorus.validator;

import dev.chorus.config.KeySettings;
import org.web3j.crypto.exception.CipherException;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

import java.io.IOException;
import java.util.Map;

/** Loads the hotkey from where {@link KeySettings} says: a web3j keystore, else an environment variable. */
public final class ValidatorKey {

    private ValidatorKey() {
    }

    public static Credentials load(KeySettings settings, Map<String, String> env) {
        if (settings.keystoreFile() != null) {
            String password = env.get(settings.keystorePasswordEnv());
            if (password == null) {
                throw new IllegalArgumentException("key.keystore_file is set but the environment variable "
                        + settings.keystorePasswordEnv() + " (key.keystore_password_env) is not; export the keystore password there");
            }
            try {
                return WalletUtils.loadCredentials(password, settings.keystoreFile().toFile());
            } catch (IOException | CipherException e) {
                throw new IllegalArgumentException("cannot open keystore " + settings.keystoreFile() + ": " + e.getMessage()
                        + " (wrong password or not a web3j/Ethereum V3 keystore)", e);
            }
        }
        String hex = env.get(settings.privateKeyEnv());
        if (hex == null || hex.isBlank()) {
            throw new IllegalArgumentException("no hotkey: the environment variable " + settings.privateKeyEnv()
                    + " (key.private_key_env) is empty; export the 0x hex private key there, or set key.keystore_file");
        }
        String digits = hex.strip().startsWith("0x") ? hex.strip().substring(2) : hex.strip();
        if (!digits.matches("[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("the environment variable " + settings.privateKeyEnv()
                    + " does not hold a private key: expected 64 hex digits, optionally prefixed with 0x");
        }
        return Credentials.create(digits);
    }
}
