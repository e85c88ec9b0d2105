package dev.chorus.chain.yuma;

import java.util.Arrays;

/**
 * One stored sparse row of u16 values (a validator's weights or bonds), as {@code (uid, value)}
 * pairs in stored order. Order matters: the chain keeps rows as submitted and parts of the epoch
 * walk them in that order.
 */
public record SparseRow(int[] uids, int[] values) {

    public static final SparseRow EMPTY = new SparseRow(new int[0], new int[0]);

    public SparseRow {
        if (uids.length != values.length) {
            throw new IllegalArgumentException("a sparse row needs one value per uid, got "
                    + uids.length + " uids and " + values.length + " values");
        }
    }

    public int size() {
        return uids.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SparseRow row && Arrays.equals(uids, row.uids) && Arrays.equals(values, row.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(uids) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        for (int k = 0; k < uids.length; k++) {
            text.append(k == 0 ? "" : ", ").append('(').append(uids[k]).append(", ").append(values[k]).append(')');
        }
        return text.append(']').toString();
    }
}
