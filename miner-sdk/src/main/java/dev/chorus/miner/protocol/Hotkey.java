package dev.chorus.miner.protocol;

import dev.chorus.chain.web3j.SigningKey;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

import java.nio.charset.StandardCharsets;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;

/**
 * A secp256k1 key that signs Epistula messages (EIP-191 personal messages). Its {@link #toString()}
 * shows only the address, so the key never reaches a log by accident.
 */
public final class Hotkey {

    private final ECKeyPair keyPair;
    private final String address;

    private Hotkey(ECKeyPair keyPair) {
        this.keyPair = keyPair;
        this.address = "0x" + Keys.getAddress(keyPair.getPublicKey());
    }

    /** From a 32-byte private key in hex, with or without 0x; checked as {@link SigningKey} checks a chain key. */
    public static Hotkey fromPrivateKey(String hex) {
        return of(SigningKey.parse(hex == null ? "" : hex, "the text given as a hotkey private key"));
    }

    /** The key web3j loaded from a keystore or an environment variable. */
    public static Hotkey of(Credentials credentials) {
        return new Hotkey(credentials.getEcKeyPair());
    }

    /** A fresh random key (tests, demos, throwaway miners). */
    public static Hotkey random() {
        try {
            return new Hotkey(Keys.createEcKeyPair());
        } catch (InvalidAlgorithmParameterException | NoSuchAlgorithmException | NoSuchProviderException e) {
            throw new IllegalStateException("secp256k1 key generation is always available via BouncyCastle", e);
        }
    }

    /** The 0x-prefixed, lower-case EVM address. */
    public String address() {
        return address;
    }

    /** EIP-191 signature of the UTF-8 message: 0x + r (32 bytes) + s (32 bytes) + v (27 or 28), lower-case hex. */
    public String sign(String message) {
        Sign.SignatureData signature = Sign.signPrefixedMessage(message.getBytes(StandardCharsets.UTF_8), keyPair);
        byte[] bytes = new byte[65];
        System.arraycopy(signature.getR(), 0, bytes, 0, 32);
        System.arraycopy(signature.getS(), 0, bytes, 32, 32);
        bytes[64] = signature.getV()[0];
        return Numeric.toHexString(bytes);
    }

    @Override
    public String toString() {
        return "Hotkey[" + address + "]";
    }
}
