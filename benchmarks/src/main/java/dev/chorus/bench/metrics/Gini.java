package dev.chorus.bench.metrics;

import java.util.Arrays;

/**
 * The Gini coefficient of a distribution: 0 when everyone gets the same, (n - 1) / n when one gets all, and undefined
 * (NaN) when nothing is distributed, which is not equality.
 */
public final class Gini {

    private Gini() {
    }

    /** Gini of non-negative amounts; NaN for an empty or all-zero distribution. */
    public static double of(double[] amounts) {
        double[] sorted = amounts.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double total = 0;
        double ranked = 0;
        for (int i = 0; i < n; i++) {
            if (sorted[i] < 0 || Double.isNaN(sorted[i])) {
                throw new IllegalArgumentException("Gini needs non-negative amounts, got " + sorted[i]);
            }
            total += sorted[i];
            ranked += (i + 1) * sorted[i];
        }
        if (n == 0 || total == 0) {
            return Double.NaN;
        }
        return 2 * ranked / (n * total) - (n + 1.0) / n;
    }
}
