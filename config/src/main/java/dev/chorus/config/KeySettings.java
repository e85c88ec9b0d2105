package dev.chorus.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the hotkey's private key comes from. Never from a command-line flag: either an environment
 * variable holding the hex key, or an encrypted web3j keystore file whose password is in an
 * environment variable.
 *
 * @param privateKeyEnv       name of the environment variable that holds the 0x hex private key
 * @param keystoreFile        path of a web3j (Ethereum V3) keystore file; used when set
 * @param keystorePasswordEnv name of the environment variable that holds the keystore password
 */
public record KeySettings(String privateKeyEnv, Path keystoreFile, String keystorePasswordEnv) implements Settings {

    public static KeySettings defaults() {
        return new KeySettings("CHORUS_PRIVATE_KEY", null, "CHORUS_KEYSTORE_PASSWORD");
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        if (keystoreFile == null && (privateKeyEnv == null || privateKeyEnv.isBlank())) {
            problems.add(prefix + "private_key_env: empty and no keystore_file set; name the environment variable that holds the key, or set keystore_file");
        }
        if (keystoreFile != null && (keystorePasswordEnv == null || keystorePasswordEnv.isBlank())) {
            problems.add(prefix + "keystore_password_env: empty; name the environment variable that holds the keystore password");
        }
    }
}
