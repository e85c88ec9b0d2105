package dev.chorus.chain.yuma;

import java.util.Arrays;

/**
 * Yuma3's liquid alpha: a per-(validator, miner) EMA rate from a sigmoid of how far the weight sits
 * above consensus or below the bond ({@code alpha_sigmoid}, {@code mat_ema_alpha_sparse}).
 */
final class LiquidAlpha {

    private static final long HALF = 1L << 31;
    private static final long MINUS_HUNDRED = -100L << 32;

    private LiquidAlpha() {
    }

    /**
     * The bonds EMA with liquid alphas. Alphas are computed only where {@code mat_ema_alpha_sparse}
     * reads them (the columns of each new row), from the same row walk subtensor does, so unsorted
     * rows read the same values they read on chain.
     */
    static SparseMatrix ema(SparseMatrix weights, SparseMatrix bonds, long[] consensus, YumaInput in) {
        int n = consensus.length;
        long low = I32F32.u16Proportion(in.alphaLow());
        long high = I32F32.u16Proportion(in.alphaHigh());
        long slope = I32F32.saturatingDiv(I32F32.fromSigned(in.alphaSigmoidSteepness()), MINUS_HUNDRED);

        int rows = weights.rows();
        SparseMatrix out = SparseMatrix.empty(rows);
        long[] walkedWeight = new long[n];
        long[] walkedBond = new long[n];
        long[] oldBond = new long[n];
        int[] oldStamp = new int[n];
        int[] oc = new int[16];
        long[] ov = new long[16];
        for (int i = 0; i < rows; i++) {
            int[] wc = weights.cols[i];
            if (wc.length == 0) {
                continue;
            }
            long[] wv = weights.vals[i];
            int[] bc = bonds.cols[i];
            long[] bv = bonds.vals[i];
            walk(wc, wv, walkedWeight);
            walk(bc, bv, walkedBond);
            for (int k = 0; k < bc.length; k++) {
                if (bc[k] < n) {
                    oldBond[bc[k]] = bv[k];
                    oldStamp[bc[k]] = i + 1;
                }
            }
            if (oc.length < wc.length) {
                oc = new int[wc.length];
                ov = new long[wc.length];
            }
            int at = 0;
            for (int k = 0; k < wc.length; k++) {
                int j = wc[k];
                if (j >= n) {
                    continue;
                }
                long a = alpha(consensus[j], walkedWeight[j], walkedBond[j], low, high, slope);
                long decayed = oldStamp[j] == i + 1 ? I32F32.mul(I32F32.sub(I32F32.ONE, a), oldBond[j]) : 0;
                long increment = Math.max(I32F32.mul(a, wv[k]), 0);
                long value = Math.min(I32F32.add(decayed, increment), I32F32.ONE);
                if (value > 0) {
                    oc[at] = j;
                    ov[at++] = value;
                }
            }
            out.cols[i] = Arrays.copyOf(oc, at);
            out.vals[i] = Arrays.copyOf(ov, at);
        }
        return out;
    }

    /** What {@code compute_liquid_alpha_values_sparse}'s peeking walk reads at each column j of a row. */
    private static void walk(int[] cols, long[] vals, long[] dense) {
        int p = 0;
        for (int j = 0; j < dense.length; j++) {
            while (p < cols.length && cols[p] < j) {
                p++;
            }
            dense[j] = p < cols.length && cols[p] == j ? vals[p] : 0;
        }
    }

    /** {@code alpha_sigmoid}. */
    static long alpha(long consensus, long weight, long bond, long low, long high, long slope) {
        long diffBuy = clamp(I32F32.sub(weight, consensus), 0, I32F32.ONE);
        long diffSell = clamp(I32F32.sub(bond, weight), 0, I32F32.ONE);
        long combined = weight >= bond ? diffBuy : diffSell;
        long exponent = I32F32.mul(slope, I32F32.sub(combined, HALF));
        long sigmoid = I32F32.saturatingDiv(I32F32.ONE, I32F32.add(I32F32.ONE, I32F32.expSafe(exponent)));
        long alpha = I32F32.add(low, I32F32.mul(sigmoid, I32F32.sub(high, low)));
        return clamp(alpha, low, high);
    }

    private static long clamp(long value, long low, long high) {
        return Math.max(Math.min(value, high), low);
    }
}
