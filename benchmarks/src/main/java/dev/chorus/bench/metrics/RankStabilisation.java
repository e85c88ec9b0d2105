package dev.chorus.bench.metrics;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

import java.util.List;

/**
 * How many tempos a subnet takes before its ranking of miners settles: the first epoch from which every later
 * epoch's emission ranks correlate with the last epoch's (Spearman) at least {@code threshold}.
 */
public final class RankStabilisation {

    /** Rank correlation with the final ranking above which a ranking counts as settled. */
    public static final double DEFAULT_THRESHOLD = 0.9;

    private RankStabilisation() {
    }

    /**
     * The 1-based epoch from which the ranking stays settled, or -1 when it settles only in the last epoch or never
     * (a constant epoch, such as the first one when everyone is paid alike, never counts as settled).
     */
    public static int tempos(List<double[]> emissionByEpoch, double threshold) {
        int epochs = emissionByEpoch.size();
        if (epochs < 2) {
            return -1;
        }
        double[] last = emissionByEpoch.get(epochs - 1);
        if (constant(last)) {
            return -1;
        }
        int settledFrom = epochs;
        for (int e = epochs - 2; e >= 0; e--) {
            double[] shares = emissionByEpoch.get(e);
            if (constant(shares) || !(new SpearmansCorrelation().correlation(shares, last) >= threshold)) {
                break;
            }
            settledFrom = e + 1;
        }
        return settledFrom == epochs ? -1 : settledFrom;
    }

    private static boolean constant(double[] values) {
        for (double v : values) {
            if (v != values[0]) {
                return false;
            }
        }
        return true;
    }
}
