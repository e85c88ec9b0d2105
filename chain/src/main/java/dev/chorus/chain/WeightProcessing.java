package dev.chorus.chain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Python SDK's weight pipeline (bittensor/utils/weight_utils.py, spec §7), reproduced operation
 * by operation so a Chorus validator submits what a Bittensor validator would for the same scores:
 * {@link #processWeights} (process_weights_for_netuid), {@link #normalizeMaxWeight} and
 * {@link #convertWeightsAndUidsForEmit}. NumPy float32 arithmetic is emulated by rounding every
 * operation to float (exact for + - * /), and sums follow NumPy's pairwise summation.
 */
public final class WeightProcessing {

    /** {@code max_weight_limit} on today's chains: MaxWeightsLimit is the constant 65535, i.e. 1.0. */
    public static final double NO_WEIGHT_LIMIT = 1.0;
    private static final double EPSILON = 1e-7;
    private static final int U16_MAX = 65_535;

    private WeightProcessing() {
    }

    /**
     * The output of {@link #processWeights}: normalized weights per uid, with the precision NumPy used
     * (float32 on the main path, float64 on the fallbacks, which build an int64/float64 array).
     */
    public record Processed(int[] uids, double[] weights, boolean float32) {
    }

    /**
     * process_weights: keeps the non-zero weights (dropping those under {@code excludeQuantile}/65535,
     * as long as {@code minAllowedWeights} remain) and normalizes them. With no non-zero weight, or a
     * subnet smaller than {@code minAllowedWeights}, every uid gets 1/n; with too few non-zero weights,
     * every uid gets 1e-5 plus its weight. The fallbacks index weights by position, assuming
     * {@code uids[i] == i}, exactly like the SDK.
     */
    public static Processed processWeights(int[] uids, double[] weights, int numNeurons, int minAllowedWeights,
                                           double maxWeightLimit, int excludeQuantile) {
        if (uids.length != weights.length) {
            throw new IllegalArgumentException("uids and weights must have the same length, got " + uids.length + " and " + weights.length);
        }
        float[] w = new float[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) weights[i];
        }
        double quantile = excludeQuantile / (double) U16_MAX;
        List<Integer> nonZeroIndex = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                nonZeroIndex.add(i);
            }
        }
        int count = nonZeroIndex.size();
        if (count == 0 || numNeurons < minAllowedWeights) {
            double[] uniform = new double[numNeurons];
            Arrays.fill(uniform, 1.0 / numNeurons);
            return new Processed(range(numNeurons), uniform, false);
        }
        if (count < minAllowedWeights) {
            double[] padded = new double[numNeurons];
            Arrays.fill(padded, 1e-5);
            for (int i : nonZeroIndex) {
                padded[i] = padded[i] + w[i];
            }
            return new Processed(range(numNeurons), normalizeMaxWeight(padded, maxWeightLimit, false), false);
        }
        double[] nonZero = new double[count];
        int[] nonZeroUids = new int[count];
        for (int k = 0; k < count; k++) {
            nonZero[k] = w[nonZeroIndex.get(k)];
            nonZeroUids[k] = uids[nonZeroIndex.get(k)];
        }
        double maxExclude = Math.max(0, count - minAllowedWeights) / (double) count;
        double lowest = quantile(nonZero, Math.min(quantile, maxExclude));
        int kept = 0;
        for (double v : nonZero) {
            if (lowest <= v) {
                kept++;
            }
        }
        int[] keptUids = new int[kept];
        double[] keptWeights = new double[kept];
        for (int k = 0, j = 0; k < count; k++) {
            if (lowest <= nonZero[k]) {
                keptUids[j] = nonZeroUids[k];
                keptWeights[j++] = nonZero[k];
            }
        }
        return new Processed(keptUids, normalizeMaxWeight(keptWeights, maxWeightLimit, true), true);
    }

    /** normalize_max_weight: sums to 1 with no element above {@code limit} (ties to the SDK's cutoff search). */
    public static double[] normalizeMaxWeight(double[] x, double limit, boolean float32) {
        int n = x.length;
        double[] weights = x.clone();
        double[] values = x.clone();
        Arrays.sort(values);
        if (sum(x, float32) == 0 || n * limit <= 1) {
            double[] uniform = new double[n];
            Arrays.fill(uniform, round(1.0 / n, float32));
            return uniform;
        }
        double valuesSum = sum(values, float32);
        double[] estimation = new double[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            estimation[i] = round(values[i] / valuesSum, float32);
            max = Math.max(max, estimation[i]);
        }
        if (max <= limit) {
            return divide(weights, sum(weights, float32), float32);
        }
        double[] cumsum = new double[n];
        double running = 0;
        for (int i = 0; i < n; i++) {
            running = round(running + estimation[i], float32);
            cumsum[i] = running;
        }
        double typedLimit = round(limit, float32);
        int nValues = 0;
        for (int i = 0; i < n; i++) {
            double estimationSum = round((n - i - 1) * estimation[i], float32);
            double denominator = round(round(estimationSum + cumsum[i], float32) + EPSILON, float32);
            if (round(estimation[i] / denominator, float32) < typedLimit) {
                nValues++;
            }
        }
        double numerator = round(round(typedLimit * cumsum[nValues - 1], float32) - EPSILON, float32);
        double cutoffScale = round(numerator / (1 - limit * (n - nValues)), float32);
        double cutoff = round(cutoffScale * valuesSum, float32);
        for (int i = 0; i < n; i++) {
            if (weights[i] > cutoff) {
                weights[i] = cutoff;
            }
        }
        return divide(weights, sum(weights, float32), float32);
    }

    /**
     * convert_weights_and_uids_for_emit: max-upscales to 65535 with Python's round (half to even) and
     * drops the uids whose value rounds to 0. All-zero weights give an empty vector.
     */
    public static WeightVector convertWeightsAndUidsForEmit(int[] uids, double[] weights) {
        if (uids.length != weights.length) {
            throw new IllegalArgumentException("uids and weights must have the same length, got " + uids.length + " and " + weights.length);
        }
        if (uids.length == 0) {
            return new WeightVector(List.of(), List.of());
        }
        double max = Double.NEGATIVE_INFINITY;
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] < 0 || Double.isNaN(weights[i])) {
                throw new IllegalArgumentException("weight " + weights[i] + " of uid " + uids[i] + " is negative or NaN and cannot go on chain");
            }
            if (uids[i] < 0) {
                throw new IllegalArgumentException("uid " + uids[i] + " is negative and cannot go on chain");
            }
            max = Math.max(max, weights[i]);
            total += weights[i];
        }
        if (total == 0) {
            return new WeightVector(List.of(), List.of());
        }
        List<Integer> outUids = new ArrayList<>();
        List<Integer> outValues = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            long value = (long) Math.rint((weights[i] / max) * U16_MAX);
            if (value != 0) {
                outUids.add(uids[i]);
                outValues.add((int) value);
            }
        }
        return new WeightVector(outUids, outValues);
    }

    /**
     * The one step where Chorus departs from the SDK. process_weights keeps at least {@code minimum} uids, but
     * convert_weights_and_uids_for_emit then drops every one whose weight rounds to 0 (below max/131070), and the
     * chain refuses a row shorter than min_allowed_weights, so an SDK validator with one nearly-decayed miner among
     * too few others has its weights refused until the scores change. The dropped uids come back, heaviest first,
     * with the value 0 they rounded to, which changes no one's share.
     */
    public static WeightVector meetMinimumLength(WeightVector emitted, Processed processed, int minimum) {
        if (emitted.size() >= minimum) {
            return emitted;
        }
        Set<Integer> present = new HashSet<>(emitted.uids());
        List<Integer> dropped = new ArrayList<>();
        for (int i = 0; i < processed.uids().length; i++) {
            if (!present.contains(processed.uids()[i])) {
                dropped.add(i);
            }
        }
        dropped.sort(Comparator.comparingDouble((Integer i) -> processed.weights()[i]).reversed()
                .thenComparingInt(i -> processed.uids()[i]));
        SortedMap<Integer, Integer> byUid = new TreeMap<>();
        for (int i = 0; i < emitted.size(); i++) {
            byUid.put(emitted.uids().get(i), emitted.values().get(i));
        }
        for (int k = 0; k < dropped.size() && byUid.size() < minimum; k++) {
            byUid.put(processed.uids()[dropped.get(k)], 0);
        }
        return new WeightVector(List.copyOf(byUid.keySet()), List.copyOf(byUid.values()));
    }

    /** NumPy's pairwise summation (blocks of 8 partial sums below 128 elements, halving above). */
    static double sum(double[] a, boolean float32) {
        return pairwise(a, 0, a.length, float32);
    }

    private static double pairwise(double[] a, int from, int n, boolean float32) {
        if (n < 8) {
            double result = float32 ? -0.0f : -0.0;
            for (int i = 0; i < n; i++) {
                result = round(result + a[from + i], float32);
            }
            return result;
        }
        if (n <= 128) {
            double[] r = new double[8];
            System.arraycopy(a, from, r, 0, 8);
            int blocked = n - n % 8;
            for (int i = 8; i < blocked; i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] = round(r[j] + a[from + i + j], float32);
                }
            }
            double left = round(round(r[0] + r[1], float32) + round(r[2] + r[3], float32), float32);
            double right = round(round(r[4] + r[5], float32) + round(r[6] + r[7], float32), float32);
            double result = round(left + right, float32);
            for (int i = blocked; i < n; i++) {
                result = round(result + a[from + i], float32);
            }
            return result;
        }
        int half = n / 2;
        half -= half % 8;
        return round(pairwise(a, from, half, float32) + pairwise(a, from + half, n - half, float32), float32);
    }

    /** np.quantile with the default 'linear' method. */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double index = q * (sorted.length - 1);
        int lower = (int) Math.floor(index);
        int upper = Math.min(lower + 1, sorted.length - 1);
        double t = index - lower;
        double a = sorted[lower];
        double b = sorted[upper];
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    private static double[] divide(double[] values, double by, boolean float32) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = round(values[i] / by, float32);
        }
        return out;
    }

    private static double round(double value, boolean float32) {
        return float32 ? (double) (float) value : value;
    }

    private static int[] range(int n) {
        int[] uids = new int[n];
        for (int i = 0; i < n; i++) {
            uids[i] = i;
        }
        return uids;
    }
}
