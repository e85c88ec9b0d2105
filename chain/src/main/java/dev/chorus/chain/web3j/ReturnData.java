package dev.chorus.chain.web3j;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.utils.Numeric;

/** Reads ABI-encoded return data as 32-byte words: static values in place, dynamic arrays behind offsets. */
final class ReturnData {

    private final byte[] data;

    ReturnData(String hex) {
        this.data = Numeric.hexStringToByteArray(hex);
    }

    int words() {
        return data.length / 32;
    }

    BigInteger uint(int word) {
        requireWord(word);
        byte[] slice = new byte[32];
        System.arraycopy(data, word * 32, slice, 0, 32);
        return new BigInteger(1, slice);
    }

    BigInteger signed(int word) {
        requireWord(word);
        byte[] slice = new byte[32];
        System.arraycopy(data, word * 32, slice, 0, 32);
        return new BigInteger(slice);
    }

    long uint64(int word) {
        return uint(word).longValue();
    }

    /**
     * A uint64 held to {@link Long#MAX_VALUE}. For a subnet's settings (rate limits and periods in blocks, amounts in
     * rao) anything from 2^63 up already means never, or more than the token's whole supply; read as a negative long,
     * such a value, which only a raw call can store, would make every client's read of the settings fail.
     */
    long uint64HeldToLong(int word) {
        BigInteger value = uint(word);
        return value.bitLength() > Long.SIZE - 1 ? Long.MAX_VALUE : value.longValue();
    }

    int uint16(int word) {
        return uint(word).intValueExact();
    }

    boolean bool(int word) {
        return uint(word).signum() != 0;
    }

    String address(int word) {
        return Numeric.toHexStringWithPrefixZeroPadded(uint(word).mod(BigInteger.TWO.pow(160)), 40);
    }

    /** The word index where the dynamic value whose offset sits in {@code word} begins (its length word). */
    int dynamicStart(int word) {
        return uint(word).intValueExact() / 32;
    }

    /** A {@code uint16[]} (or any uint array that fits an int) whose offset sits in {@code word}. */
    List<Integer> uintArray(int word) {
        int start = dynamicStart(word);
        int length = uint(start).intValueExact();
        List<Integer> values = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            values.add(uint(start + 1 + i).intValueExact());
        }
        return values;
    }

    private void requireWord(int word) {
        if (word < 0 || (word + 1) * 32 > data.length) {
            throw new IllegalArgumentException("return data has " + words() + " words, word " + word + " was asked for");
        }
    }
}
