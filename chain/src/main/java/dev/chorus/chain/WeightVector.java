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

    /**
     * What the Python SDK submits for these scores (index = uid) on a subnet with {@code minAllowedWeights}:
     * process_weights_for_netuid (no quantile exclusion, today's weight limit of 1.0) then
     * convert_weights_and_uids_for_emit, made long enough for the chain ({@link WeightProcessing#meetMinimumLength}).
     */
    public static WeightVector fromScores(double[] scoresByUid, int minAllowedWeights) {
        return fromScores(scoresByUid, minAllowedWeights, WeightProcessing.NO_WEIGHT_LIMIT, 0);
    }

    /** As {@link #fromScores(double[], int)} with an explicit weight limit (0..1) and exclude quantile (0..65535). */
    public static WeightVector fromScores(double[] scoresByUid, int minAllowedWeights, double maxWeightLimit, int excludeQuantile) {
        int[] uids = new int[scoresByUid.length];
        for (int i = 0; i < uids.length; i++) {
            uids[i] = i;
        }
        WeightProcessing.Processed processed = WeightProcessing.processWeights(uids, scoresByUid, scoresByUid.length,
                minAllowedWeights, maxWeightLimit, excludeQuantile);
        WeightVector emitted = WeightProcessing.convertWeightsAndUidsForEmit(processed.uids(), processed.weights());
        return WeightProcessing.meetMinimumLength(emitted, processed, Math.min(minAllowedWeights, scoresByUid.length));
    }

    /**
     * Whether {@link #fromScores} sees a positive score: the SDK's pipeline works in float32, where a score below about
     * 1e-45 is 0, and with no positive score it weighs every uid alike, so a validator sends no row at all.
     */
    public static boolean anyPositive(double[] scoresByUid) {
        for (double score : scoresByUid) {
            if ((float) score > 0) {
                return true;
            }
        }
        return false;
    }

    public int size() {
        return uids.size();
    }
}
