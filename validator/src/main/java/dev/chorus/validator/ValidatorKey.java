package dev.chorus.validator;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.chain.web3j.SigningKey;
import dev.chorus.config.KeySettings;
import dev.chorus.validator.state.AtomicFile;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;
import org.web3j.protocol.ObjectMapperFactory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/** Loads the hotkey from where {@link KeySettings} says: a web3j keystore, else an environment variable. */
public final class ValidatorKey {

    /** Lenient as web3j's own loader is: keystores written by geth or cast carry fields web3j does not model. */
    private static final ObjectMapper KEYSTORE_JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * What the user calls each of the {@link KeySettings}, so an error names what they can change: the settings keys
     * for the services run from a config, the flags for the chain commands; {@code keystoreFile} is null for a command
     * that takes no keystore.
     */
    public record SettingNames(String privateKeyEnv, String keystoreFile, String keystorePasswordEnv) {

        public static final SettingNames CONFIG =
                new SettingNames("key.private_key_env", "key.keystore_file", "key.keystore_password_env");

        /** The commands' flags, for commands that read no config file whose key.* settings the user could set. */
        public static final SettingNames FLAGS =
                new SettingNames("--key-env", "--keystore", "--keystore-password-env");

        /** {@code chorus key import}'s flags: it reads the key from the environment only, so no keystore is offered. */
        public static final SettingNames IMPORT_FLAGS = new SettingNames("--key-env", null, "--keystore-password-env");
    }

    /** The shortest keystore password {@link #saveKeystore} accepts. */
    public static final int MIN_PASSWORD_LENGTH = 8;

    private ValidatorKey() {
    }

    /** Loads the key, naming the config's {@code key.*} settings in any error. */
    public static Credentials load(KeySettings settings, Map<String, String> env) {
        return load(settings, env, SettingNames.CONFIG);
    }

    public static Credentials load(KeySettings settings, Map<String, String> env, SettingNames names) {
        if (settings.keystoreFile() != null) {
            String ignored = env.get(settings.privateKeyEnv());
            if (ignored != null && !ignored.isBlank()) {
                ValidatorLog.privateKeyEnvIgnored(settings.privateKeyEnv(), names.privateKeyEnv(), names.keystoreFile());
            }
            return fromKeystore(settings, env, names);
        }
        String hex = env.get(settings.privateKeyEnv());
        if (hex == null || hex.isBlank()) {
            throw new IllegalArgumentException("no hotkey: the environment variable " + settings.privateKeyEnv()
                    + " (" + names.privateKeyEnv() + ") is " + (hex == null ? "not set" : "empty")
                    + "; export the 0x hex private key there"
                    + (names.keystoreFile() == null ? "" : ", or give a keystore file with " + names.keystoreFile()));
        }
        return SigningKey.parse(hex, "the environment variable " + settings.privateKeyEnv() + " (" + names.privateKeyEnv() + ")");
    }

    /**
     * Each way a keystore can fail gets its own message: web3j's loader says "No such file" and a null-pointer
     * text alike, and the user needs to know whether to fix the path, the file or the password.
     */
    private static Credentials fromKeystore(KeySettings settings, Map<String, String> env, SettingNames names) {
        Path file = settings.keystoreFile();
        String source = "keystore " + file + " (" + names.keystoreFile() + ")";
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(source + " does not exist; check the path");
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(source + " is a directory; give the keystore file in it");
        }
        warnIfOthersCanRead(file, source);
        String password = env.get(settings.keystorePasswordEnv());
        if (password == null) {
            throw new IllegalArgumentException(source + " is set but the environment variable "
                    + settings.keystorePasswordEnv() + " (" + names.keystorePasswordEnv()
                    + ") is not; export the keystore password there");
        }
        WalletFile wallet = parse(file, source);
        try {
            return Credentials.create(Wallet.decrypt(password, wallet));
        } catch (CipherException e) {
            if ("Invalid password provided".equals(e.getMessage())) {
                throw new IllegalArgumentException("wrong password for " + source + ": the password in "
                        + settings.keystorePasswordEnv() + " (" + names.keystorePasswordEnv()
                        + ") does not decrypt it", e);
            }
            throw new IllegalArgumentException(notV3(source, e.getMessage()), e);
        }
    }

    /**
     * Writes {@code key} to a new keystore file that only its owner may read, encrypted with {@code password} at
     * scrypt's standard cost (geth's default: each guess at the password costs about a second and 256 MiB).
     *
     * @throws IllegalArgumentException if the file exists (overwriting it could destroy the only copy of a funded
     *                                  key) or the password is shorter than {@link #MIN_PASSWORD_LENGTH}
     */
    public static void saveKeystore(Credentials key, String password, Path file) throws IOException {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw alreadyExists(file);
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("the keystore password has " + password.length() + " characters; use at"
                    + " least " + MIN_PASSWORD_LENGTH + " (e.g. openssl rand -hex 16)");
        }
        byte[] json;
        try {
            json = ObjectMapperFactory.getObjectMapper()
                    .writeValueAsBytes(Wallet.createStandard(password, key.getEcKeyPair()));
        } catch (CipherException e) {
            throw new IOException("could not encrypt the key: " + e.getMessage(), e);
        }
        try {
            AtomicFile.createNew(file, json);
        } catch (FileAlreadyExistsException e) {
            // Also thrown for a file where the keystore's folder should be, which is not "the keystore exists".
            if (Path.of(e.getFile()).toAbsolutePath().equals(file.toAbsolutePath())) {
                throw alreadyExists(file);
            }
            throw e;
        }
    }

    private static IllegalArgumentException alreadyExists(Path file) {
        return new IllegalArgumentException(file + " already exists; give a new file name (a keystore is never"
                + " overwritten: it may hold the only copy of a key)");
    }

    /**
     * A keystore other users can read lets them try passwords against it offline, at their leisure; ssh refuses such a
     * private key. A warning, not a refusal: a mounted secret may be read-only with a mode the operator cannot change.
     */
    private static void warnIfOthersCanRead(Path file, String source) {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            return; // reading the file next says what is wrong with it
        }
        if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
            ValidatorLog.keystoreReadableByOthers(source, PosixFilePermissions.toString(mode));
        }
    }

    private static WalletFile parse(Path file, String source) {
        WalletFile wallet;
        try {
            byte[] json = Files.readAllBytes(file);
            if (json.length == 0) {
                throw new IllegalArgumentException(notV3(source, "the file is empty"));
            }
            wallet = KEYSTORE_JSON.readValue(json, WalletFile.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException(notV3(source, "it is not JSON (unexpected text at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(notV3(source, "its JSON is not a keystore object"), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + source + ": " + e.getMessage(), e);
        }
        WalletFile.Crypto crypto = wallet == null ? null : wallet.getCrypto();
        if (crypto == null || crypto.getCipher() == null || crypto.getCiphertext() == null
                || crypto.getCipherparams() == null || crypto.getKdf() == null || crypto.getKdfparams() == null
                || crypto.getMac() == null) {
            throw new IllegalArgumentException(notV3(source, "it has no complete \"crypto\" section (cipher, ciphertext,"
                    + " cipherparams, kdf, kdfparams, mac)"));
        }
        return wallet;
    }

    private static String notV3(String source, String why) {
        return source + " is not a web3j/Ethereum V3 keystore: " + why + "; give the keystore JSON file that web3j,"
                + " geth or cast wallet wrote";
    }
}
