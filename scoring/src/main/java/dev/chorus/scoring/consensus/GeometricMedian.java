package dev.chorus.scoring.consensus;

import org.apache.commons.math3.util.MathArrays;

import java.util.Arrays;

/**
 * Weighted geometric median by Weiszfeld's iteration, worked entirely through the Gram matrix of the points.
 *
 * <p>The median is kept as a convex combination {@code x = Σ c_j p_j}, so every distance it needs is
 * {@code |x - p_j|² = x·x - 2 x·p_j + p_j·p_j} with {@code x·p_j = Σ_k c_k G[k][j]}: each iteration costs
 * O(m²) however many dimensions the embeddings have. When the median lands on a data point, the distance
 * floor makes that point absorb the weight, which is where the median then is.
 */
final class GeometricMedian {

    private static final double DISTANCE_FLOOR = 1e-10;

    /** The median's coefficients over the points (summing to 1) and the iterations spent. */
    record Solution(double[] coefficients, int iterations) {
    }

    private GeometricMedian() {
    }

    /**
     * @param gram      Gram matrix of the points (symmetric, m × m)
     * @param weights   positive weight per point
     */
    static Solution solve(double[][] gram, double[] weights, int maxIterations, double tolerance) {
        int m = weights.length;
        double[] c = MathArrays.normalizeArray(weights, 1);
        double[] xp = new double[m];
        double[] next = new double[m];
        int iteration = 0;
        while (iteration < maxIterations) {
            iteration++;
            project(gram, c, xp);
            double xx = 0;
            for (int j = 0; j < m; j++) {
                xx += c[j] * xp[j];
            }
            double total = 0;
            for (int j = 0; j < m; j++) {
                double distance = Math.sqrt(Math.max(xx - 2 * xp[j] + gram[j][j], 0));
                next[j] = weights[j] / Math.max(distance, DISTANCE_FLOOR);
                total += next[j];
            }
            double moved = 0;
            for (int j = 0; j < m; j++) {
                next[j] /= total;
                moved = Math.max(moved, Math.abs(next[j] - c[j]));
            }
            double[] swap = c;
            c = next;
            next = swap;
            if (moved < tolerance) {
                break;
            }
        }
        return new Solution(c, iteration);
    }

    /** {@code out[j] = Σ_k c[k] gram[k][j]}: the dot products of the combination with each point. */
    static void project(double[][] gram, double[] c, double[] out) {
        Arrays.fill(out, 0);
        for (int k = 0; k < c.length; k++) {
            double ck = c[k];
            if (ck == 0) {
                continue;
            }
            double[] row = gram[k];
            for (int j = 0; j < out.length; j++) {
                out[j] += ck * row[j];
            }
        }
    }
}
