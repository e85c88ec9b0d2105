package dev.chorus.bench.metrics;

import java.util.Arrays;

/**
 * The Gini coefficient of a distribution: 0 when everyone gets the same, (n - 1) / n when one gets all, and undefined
 * (NaN) when nothing is distributed, which is not equality.
 */
public final class Gini {

    private Gini() {
    }

    /**
     * Gini of non-negative amounts; NaN for an empty or all-zero distribution. Summed over the gaps between neighbours
     * in sorted order (each gap lies between k and n - k amounts: the sum of all pairwise differences), so equal amounts
     * give exactly 0 and no amounts a negative value; the rank-weighted form, {@code 2 sum(i x_i) / (n total) - (n + 1)
     * / n}, left a rounding error of either sign, and tables printed -0.000.
     */
    public static double of(double[] amounts) {
        double[] sorted = amounts.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double total = 0;
        double differences = 0;
        for (int i = 0; i < n; i++) {
            if (sorted[i] < 0 || Double.isNaN(sorted[i])) {
                throw new IllegalArgumentException("Gini needs non-negative amounts, got " + sorted[i]);
            }
            total += sorted[i];
            if (i > 0) {
                differences += (sorted[i] - sorted[i - 1]) * i * (double) (n - i);
            }
        }
        if (n == 0 || total == 0) {
            return Double.NaN;
        }
        return differences / (n * total);
    }
}
