package dev.chorus.chain;

import java.util.HashSet;
import java.util.List;

/** The uint16 weight vector a validator submits: {@code values.get(i)} is the weight on {@code uids.get(i)}. */
public record WeightVector(List<Integer> uids, List<Integer> values) {

    public WeightVector {
        uids = List.copyOf(uids);
        values = List.copyOf(values);
        if (uids.size() != values.size()) {
            throw new IllegalArgumentException("a weight vector needs one value per uid, got " + uids.size() + " uids and " + values.size() + " values");
        }
        for (int i = 0; i < uids.size(); i++) {
            requireU16("uid", uids.get(i));
            requireU16("weight", values.get(i));
        }
        if (new HashSet<>(uids).size() != uids.size()) {
            throw new IllegalArgumentException("a weight vector must not name a uid twice: " + uids);
        }
    }

    private static void requireU16(String what, int value) {
        if (value < 0 || value > 65_535) {
            throw new IllegalArgumentException(what + " " + value + " is outside 0..65535");
        }
    }

    public int size() {
        return uids.size();
    }
}
