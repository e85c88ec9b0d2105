package dev.chorus.chain;

import java.util.List;

/** The weights one uid has stored on chain: {@code values.get(i)} is its (max-upscaled) weight on {@code uids.get(i)}. */
public record WeightRow(int netuid, int uid, List<Integer> uids, List<Integer> values) {

    public WeightRow {
        uids = List.copyOf(uids);
        values = List.copyOf(values);
        if (uids.size() != values.size()) {
            throw new IllegalArgumentException(uids.size() + " uids but " + values.size() + " values");
        }
    }

    /** The stored weight on {@code dest}, 0 when the row has none. */
    public int weightOn(int dest) {
        int at = uids.indexOf(dest);
        return at < 0 ? 0 : values.get(at);
    }
}
