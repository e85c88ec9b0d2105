package dev.chorus.chain.web3j;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.Sign;

import java.math.BigInteger;

/**
 * A private key from hex text, checked before web3j sees it: {@code Credentials.create} takes any hex it can parse,
 * so a key with a digit lost in copying becomes another account, unfunded and unregistered, and the mistake surfaces
 * later as a failed registration. Errors name where the key came from and never echo it.
 */
public final class SigningKey {

    private SigningKey() {
    }

    /** The key in environment variable {@code variable} (0x and 64 hex digits). */
    public static Credentials fromEnvironment(String variable) {
        String hex = System.getenv(variable);
        if (hex == null || hex.isBlank()) {
            throw new IllegalArgumentException("no key: the environment variable " + variable + " is "
                    + (hex == null ? "not set" : "empty") + "; export the 0x hex private key there");
        }
        return parse(hex, "the environment variable " + variable);
    }

    /**
     * The key {@code hex} holds, with or without 0x and surrounding white space; {@code source} says where it came
     * from, as the start of an error message ("the environment variable X").
     */
    public static Credentials parse(String hex, String source) {
        String digits = hex.strip().startsWith("0x") ? hex.strip().substring(2) : hex.strip();
        if (!digits.matches("[0-9a-fA-F]{64}")) {
            // Its length or kind only, never the value: a key copied with a digit short is a secret all the same.
            String found = digits.matches("[0-9a-fA-F]{40}")
                    ? "40 hex digits are an account's address, not its private key; give the key"
                    : digits.matches("[0-9a-fA-F]{65,}") ? "it holds " + digits.length() + ", too many for a private key"
                    + " (a public key, or two values run together?)"
                    : digits.matches("[0-9a-fA-F]*") ? "it holds " + digits.length() + "; copy the whole key"
                    : "it holds characters other than hex digits";
            throw new IllegalArgumentException(source + " does not hold a private key: expected 64 hex digits,"
                    + " optionally prefixed with 0x; " + found);
        }
        // web3j signs with any 32 bytes; 0 and values from the curve order on have no public key a chain would accept.
        BigInteger k = new BigInteger(digits, 16);
        if (k.signum() == 0 || k.compareTo(Sign.CURVE_PARAMS.getN()) >= 0) {
            throw new IllegalArgumentException(source + " does not hold a private key: as a number it must be at least 1"
                    + " and below the secp256k1 curve order (0x" + Sign.CURVE_PARAMS.getN().toString(16)
                    + "); export a key a wallet generated");
        }
        return Credentials.create(digits);
    }
}
