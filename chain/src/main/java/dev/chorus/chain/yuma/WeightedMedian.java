package dev.chorus.chain.yuma;

/**
 * subtensor's stake-weighted median ({@code weighted_median}, {@code weighted_median_col_sparse}):
 * a deterministic mid-pivot quickselect over the stake integral, per column.
 */
final class WeightedMedian {

    private WeightedMedian() {
    }

    /**
     * Per column, the stake-weighted median of the rows with positive stake: the largest value that
     * rows holding about {@code majority} of that stake reach or exceed.
     */
    static long[] columns(long[] stake, SparseMatrix score, int columns, long majority) {
        int rows = Math.min(stake.length, score.rows());
        int voters = 0;
        for (long s : stake) {
            if (s > 0) {
                voters++;
            }
        }
        long[] median = new long[columns];
        if (voters == 0) {
            return median;
        }
        long[] useStake = new long[voters];
        int k = 0;
        for (long s : stake) {
            if (s > 0) {
                useStake[k++] = s;
            }
        }
        YumaEpoch.normalize(useStake);
        long stakeSum = YumaEpoch.sum(useStake);
        long minority = I32F32.sub(stakeSum, majority);

        // column-major so each column's scores are contiguous for the quickselect
        long[] scores = new long[columns * voters];
        k = 0;
        for (int i = 0; i < rows; i++) {
            if (stake[i] > 0) {
                int[] c = score.cols[i];
                long[] v = score.vals[i];
                for (int e = 0; e < c.length; e++) {
                    if (c[e] < columns) {
                        scores[c[e] * voters + k] = v[e];
                    }
                }
                k++;
            }
        }
        int[] partition = new int[voters];
        int[] lower = new int[voters];
        int[] upper = new int[voters];
        for (int c = 0; c < columns; c++) {
            median[c] = median(useStake, scores, c * voters, voters, minority, 0, stakeSum, partition, lower, upper);
        }
        return median;
    }

    /**
     * {@code weighted_median} over all {@code count} entries starting at {@code offset} in
     * {@code score}; the scratch arrays must hold {@code count} ints.
     */
    static long median(long[] stake, long[] score, int offset, int count, long minority, long lo, long hi,
            int[] partition, int[] lower, int[] upper) {
        for (int t = 0; t < count; t++) {
            partition[t] = t;
        }
        int size = count;
        int iterations = 0;
        while (true) {
            if (size == 0) {
                return 0;
            }
            if (size == 1) {
                return score[offset + partition[0]];
            }
            long pivot = score[offset + partition[size / 2]];
            long loStake = 0;
            long hiStake = 0;
            int nLower = 0;
            int nUpper = 0;
            for (int t = 0; t < size; t++) {
                int idx = partition[t];
                long s = score[offset + idx];
                if (s == pivot) {
                    continue;
                }
                if (s < pivot) {
                    loStake = I32F32.add(loStake, stake[idx]);
                    lower[nLower++] = idx;
                } else {
                    hiStake = I32F32.add(hiStake, stake[idx]);
                    upper[nUpper++] = idx;
                }
            }
            long loEdge = I32F32.add(lo, loStake);
            long hiEdge = I32F32.sub(hi, hiStake);
            if (minority < loEdge && nLower > 0) {
                System.arraycopy(lower, 0, partition, 0, nLower);
                size = nLower;
                hi = loEdge;
            } else if (hiEdge <= minority && nUpper > 0) {
                System.arraycopy(upper, 0, partition, 0, nUpper);
                size = nUpper;
                lo = hiEdge;
            } else {
                return pivot;
            }
            iterations++;
            if (iterations > count) {
                return 0;
            }
        }
    }
}
