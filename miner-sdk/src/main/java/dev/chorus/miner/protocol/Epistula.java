package dev.chorus.miner.protocol;

import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SignatureException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Epistula V2's message layout with the chain's key type: the signed text is
 * {@code sha256hex(body) + "." + uuid + "." + timestamp + "." + signedFor}, signed as an EIP-191
 * personal message by a secp256k1 hotkey. See PROTOCOL.md for the full rules.
 */
public final class Epistula {

    /** The value of {@code Epistula-Version}: V2's layout, here with secp256k1 keys and EIP-191. */
    public static final String PROTOCOL_VERSION = "2";

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SIGNATURE = Pattern.compile("0x[0-9a-fA-F]{130}");
    private static final BigInteger HALF_CURVE_ORDER = Sign.CURVE_PARAMS.getN().shiftRight(1);

    private Epistula() {
    }

    /** Signs {@code body} for {@code signedFor} with a fresh UUID and the given timestamp (unix ms). */
    public static EpistulaHeaders sign(Hotkey signer, byte[] body, String signedFor, long timestamp) {
        return sign(signer, body, signedFor, java.util.UUID.randomUUID().toString(), timestamp);
    }

    public static EpistulaHeaders sign(Hotkey signer, byte[] body, String signedFor, String uuid, long timestamp) {
        String receiver = normalizeAddress(signedFor);
        if (!isUuid(uuid)) {
            throw new IllegalArgumentException("uuid must be a lower-case UUID like 3f2b...-..., got " + uuid);
        }
        String signature = signer.sign(message(body, uuid, timestamp, receiver));
        return new EpistulaHeaders(PROTOCOL_VERSION, timestamp, uuid, signer.address(), receiver, signature);
    }

    /** The exact text that is signed. */
    public static String message(byte[] body, String uuid, long timestamp, String signedFor) {
        return sha256Hex(body) + "." + uuid + "." + timestamp + "." + signedFor.toLowerCase(Locale.ROOT);
    }

    /**
     * The address that signed {@code message}. Empty, wrongly sized, high-s (malleable) or
     * unrecoverable signatures are a {@link MalformedMessageException}, never a pass.
     */
    public static String recoverSigner(String message, String signatureHex) {
        if (signatureHex == null || signatureHex.isEmpty()) {
            throw new MalformedMessageException("empty signature");
        }
        if (!SIGNATURE.matcher(signatureHex).matches()) {
            throw new MalformedMessageException("signature must be 0x followed by 130 hex digits (r, s, v)");
        }
        byte[] raw = Numeric.hexStringToByteArray(signatureHex);
        byte v = raw[64];
        if (v != 27 && v != 28) {
            throw new MalformedMessageException("signature v must be 27 or 28, got " + (v & 0xFF));
        }
        byte[] r = java.util.Arrays.copyOfRange(raw, 0, 32);
        byte[] s = java.util.Arrays.copyOfRange(raw, 32, 64);
        if (new BigInteger(1, s).compareTo(HALF_CURVE_ORDER) > 0 || new BigInteger(1, r).signum() == 0) {
            throw new MalformedMessageException("signature is not canonical (s in the upper half or r zero)");
        }
        try {
            BigInteger publicKey = Sign.signedPrefixedMessageToKey(
                    message.getBytes(StandardCharsets.UTF_8), new Sign.SignatureData(v, r, s));
            return "0x" + Keys.getAddress(publicKey).toLowerCase(Locale.ROOT);
        } catch (SignatureException | RuntimeException e) {
            throw new MalformedMessageException("signature does not recover to any key", e);
        }
    }

    public static boolean isAddress(String text) {
        return text != null && ADDRESS.matcher(text).matches();
    }

    public static boolean isUuid(String text) {
        return text != null && UUID_TEXT.matcher(text).matches();
    }

    /** Lower-cases a 0x address after checking its shape. */
    public static String normalizeAddress(String address) {
        if (!isAddress(address)) {
            throw new IllegalArgumentException("an address is 0x followed by 40 hex digits, got " + address);
        }
        return address.toLowerCase(Locale.ROOT);
    }

    public static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }
}
