package dev.chorus.chain.yuma;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One Yuma Consensus epoch, bit-exact with subtensor's sparse {@code epoch_mechanism} (spec §3):
 * classic bonds or Yuma3 bonds (with optional liquid alpha) as {@link YumaInput#yuma3()} selects,
 * including the commit-reveal mask of {@link YumaInput#commitBlock()}.
 * A pure function of its input; safe to call from any thread.
 */
public final class YumaEpoch {

    private static final long ONE_MILLION = 1_000_000L;

    private YumaEpoch() {
    }

    public static YumaOutput run(YumaInput in) {
        int n = in.n();
        int owner = in.ownerUid().isPresent() && in.ownerUid().getAsInt() < n ? in.ownerUid().getAsInt() : -1;

        boolean[] active = new boolean[n];
        for (int i = 0; i < n; i++) {
            long reach = saturatingAddUnsigned(in.lastUpdate()[i], in.activityCutoff());
            active[i] = Long.compareUnsigned(reach, in.block()) >= 0;
        }

        long[] stake = normalizedStake(in, owner);

        boolean[] permits = in.validatorPermit().clone();
        if (owner >= 0) {
            permits[owner] = true;
        }
        boolean[] newPermits = topKNonZero(stake, in.maxAllowedValidators());
        if (owner >= 0) {
            newPermits[owner] = true;
        }

        long[] activeStake = stake.clone();
        for (int i = 0; i < n; i++) {
            if (!active[i] || !permits[i]) {
                activeStake[i] = 0;
            }
        }
        normalize(activeStake);

        SparseMatrix weights = maskedWeights(in, permits, owner);
        rowNormalize(weights);

        long kappa = I32F32.safeDiv((long) in.kappa() << 32, I32F32.U16_MAX);
        long[] consensus = WeightedMedian.columns(activeStake, weights, n, kappa);

        SparseMatrix clipped = clip(weights, consensus);
        long[] validatorTrust = rowSums(clipped);
        long[] incentive = matmul(clipped, activeStake, n);
        normalize(incentive);

        long bondsPenalty = I32F32.safeDiv((long) in.bondsPenalty() << 32, I32F32.U16_MAX);
        SparseMatrix weightsForBonds = interpolate(weights, clipped, n, bondsPenalty);

        long lastTempo = in.lastMechanismStepBlock() == 0
                ? saturatingSubUnsigned(in.block(), in.tempo())
                : saturatingAddUnsigned(in.lastMechanismStepBlock(), 1);
        long alpha = I32F32.sub(I32F32.ONE, movingAverage(in.bondsMovingAverage()));

        long[] dividends;
        SparseMatrix emaBonds;
        if (in.yuma3()) {
            SparseMatrix bonds = SparseMatrix.ofStoredRows(in.bonds(), -1, true);
            maskNewlyRegistered(bonds, lastTempo, in.blockAtRegistration());
            if (in.liquidAlpha() && anyNonZero(consensus)) {
                emaBonds = LiquidAlpha.ema(weightsForBonds, bonds, consensus, in);
            } else {
                emaBonds = ema(weightsForBonds, bonds, alpha, n);
            }
            SparseMatrix normalized = emaBonds.copy();
            colNormalize(normalized, n);
            dividends = new long[n];
            for (int i = 0; i < n; i++) {
                long total = 0;
                int[] c = normalized.cols[i];
                long[] v = normalized.vals[i];
                for (int k = 0; k < c.length; k++) {
                    if (c[k] < n) {
                        total += I32F32.mul(v[k], incentive[c[k]]);
                    }
                }
                dividends[i] = I32F32.mulOrZero(total, activeStake[i]);
            }
            normalize(dividends);
        } else {
            SparseMatrix bonds = SparseMatrix.ofStoredRows(in.bonds(), -1, false);
            maskNewlyRegistered(bonds, lastTempo, in.blockAtRegistration());
            colNormalize(bonds, n);
            SparseMatrix delta = rowHadamard(weightsForBonds, activeStake);
            colNormalize(delta, n);
            emaBonds = ema(delta, bonds, alpha, n);
            colNormalize(emaBonds, n);
            dividends = matmulTranspose(emaBonds, incentive);
            normalize(dividends);
            colMaxUpscale(emaBonds, n);
        }

        return emit(in, n, active, stake, activeStake, permits, newPermits, consensus, incentive, dividends,
                validatorTrust, emaBonds);
    }

    private static YumaOutput emit(YumaInput in, int n, boolean[] active, long[] stake, long[] activeStake,
            boolean[] permits, boolean[] newPermits, long[] consensus, long[] incentive, long[] dividends,
            long[] validatorTrust, SparseMatrix emaBonds) {
        long[] combined = new long[n];
        long emissionSum = 0;
        for (int i = 0; i < n; i++) {
            combined[i] = I32F32.add(incentive[i], dividends[i]);
            emissionSum += combined[i];
        }
        long[] serverShare = incentive.clone();
        long[] validatorShare = dividends.clone();
        long[] combinedShare = combined.clone();
        if (emissionSum != 0) {
            for (int i = 0; i < n; i++) {
                serverShare[i] = I32F32.safeDiv(serverShare[i], emissionSum);
                validatorShare[i] = I32F32.safeDiv(validatorShare[i], emissionSum);
            }
        }
        normalize(combinedShare);
        if (emissionSum == 0) {
            long[] fallback = sum(activeStake) == 0 ? stake : activeStake;
            validatorShare = fallback.clone();
            combinedShare = fallback.clone();
        }

        long[] serverEmission = new long[n];
        long[] validatorEmission = new long[n];
        long[] emission = new long[n];
        int[] stakeWeight = new int[n];
        int[] consensusU16 = new int[n];
        int[] incentiveU16 = new int[n];
        int[] dividendsU16 = new int[n];
        int[] trustU16 = new int[n];
        List<SparseRow> bonds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            serverEmission[i] = I96F32.shareOf(serverShare[i], in.raoEmission());
            validatorEmission[i] = I96F32.shareOf(validatorShare[i], in.raoEmission());
            emission[i] = I96F32.shareOf(combinedShare[i], in.raoEmission());
            stakeWeight[i] = I32F32.proportionToU16(stake[i]);
            consensusU16[i] = I32F32.proportionToU16(consensus[i]);
            incentiveU16[i] = I32F32.proportionToU16(incentive[i]);
            dividendsU16[i] = I32F32.proportionToU16(dividends[i]);
            trustU16[i] = I32F32.proportionToU16(validatorTrust[i]);
            if (newPermits[i]) {
                int[] c = emaBonds.cols[i];
                long[] v = emaBonds.vals[i];
                int[] stored = new int[c.length];
                for (int k = 0; k < c.length; k++) {
                    stored[k] = I32F32.proportionToU16(v[k]);
                }
                bonds.add(new SparseRow(c.clone(), stored));
            } else if (permits[i]) {
                bonds.add(SparseRow.EMPTY);
            } else {
                bonds.add(in.bonds().get(i));
            }
        }
        return new YumaOutput(active, newPermits, stakeWeight, consensusU16, incentiveU16, dividendsU16, trustU16,
                emission, serverEmission, validatorEmission, bonds);
    }

    /**
     * §3.2: stakes under the threshold (the owner excepted) are zeroed, then normalized in I64F64 and
     * narrowed to I32F32; for whole-number stakes that is floor(s * 2^32 / total).
     */
    static long[] normalizedStake(YumaInput in, int owner) {
        int n = in.n();
        long[] filtered = new long[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            long s = in.stake()[i];
            filtered[i] = i != owner && Long.compareUnsigned(s, in.minStake()) < 0 ? 0 : s;
            total += filtered[i];
        }
        long[] stake = new long[n];
        for (int i = 0; i < n; i++) {
            stake[i] = total == 0 ? I32F32.fromInt(filtered[i]) : I32F32.magnitudeQuotient(filtered[i], total);
        }
        return stake;
    }

    /** {@code is_topk_nonzero}: true for non-zero entries among the k largest, ties broken by uid (stable sort). */
    static boolean[] topKNonZero(long[] values, int k) {
        int n = values.length;
        boolean[] result = new boolean[n];
        for (int i = 0; i < n; i++) {
            result[i] = values[i] != 0;
        }
        if (n < k) {
            return result;
        }
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // stake is a normalized proportion (at most 2^32 + few bits), so value and uid pack into one sortable long
            keys[i] = (values[i] << 16) | i;
        }
        Arrays.sort(keys);
        for (int t = 0; t < n - k; t++) {
            result[(int) (keys[t] & 0xFFFF)] = false;
        }
        return result;
    }

    /**
     * §3.5: stored weights as integer I32F32, less non-permitted rows, self-weights, outdated entries
     * and, under commit-reveal, entries on uids registered after the row owner's pending commit.
     */
    private static SparseMatrix maskedWeights(YumaInput in, boolean[] permits, int owner) {
        int n = in.n();
        SparseMatrix w = SparseMatrix.ofStoredRows(in.weights(), n, false);
        long[] lastUpdate = in.lastUpdate();
        long[] registered = in.blockAtRegistration();
        long[] committed = in.commitBlock();
        boolean[] keep = new boolean[0];
        for (int i = 0; i < n; i++) {
            if (!permits[i]) {
                w.cols[i] = SparseMatrix.noCols();
                w.vals[i] = SparseMatrix.noVals();
                continue;
            }
            int[] c = w.cols[i];
            if (keep.length < c.length) {
                keep = new boolean[c.length];
            }
            int kept = 0;
            for (int k = 0; k < c.length; k++) {
                int j = c[k];
                boolean diagonal = j == i && i != owner;
                boolean outdated = Long.compareUnsigned(lastUpdate[i], registered[j]) <= 0;
                boolean committedBefore = Long.compareUnsigned(committed[i], registered[j]) < 0;
                keep[k] = !diagonal && !outdated && !committedBefore;
                if (keep[k]) {
                    kept++;
                }
            }
            if (kept != c.length) {
                w.setFiltered(i, c, w.vals[i], keep, kept);
            }
        }
        return w;
    }

    /** Drops bonds to uids registered since the previous epoch ({@code last_tempo <= registered}). */
    private static void maskNewlyRegistered(SparseMatrix bonds, long lastTempo, long[] registered) {
        boolean[] keep = new boolean[0];
        for (int i = 0; i < bonds.rows(); i++) {
            int[] c = bonds.cols[i];
            if (keep.length < c.length) {
                keep = new boolean[c.length];
            }
            int kept = 0;
            for (int k = 0; k < c.length; k++) {
                long reg = c[k] < registered.length ? registered[c[k]] : 0;
                keep[k] = Long.compareUnsigned(lastTempo, reg) > 0;
                if (keep[k]) {
                    kept++;
                }
            }
            if (kept != c.length) {
                bonds.setFiltered(i, c, bonds.vals[i], keep, kept);
            }
        }
    }

    /** {@code inplace_normalize}: divide by the (wrapping) sum unless it is zero. */
    static void normalize(long[] x) {
        long total = sum(x);
        if (total == 0) {
            return;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = I32F32.safeDiv(x[i], total);
        }
    }

    /** Rust's unchecked {@code iter().sum()}, which wraps in a release runtime. */
    static long sum(long[] x) {
        long total = 0;
        for (long v : x) {
            total += v;
        }
        return total;
    }

    private static void rowNormalize(SparseMatrix m) {
        for (int i = 0; i < m.rows(); i++) {
            long[] v = m.vals[i];
            long total = sum(v);
            if (total > 0) {
                for (int k = 0; k < v.length; k++) {
                    v[k] = I32F32.safeDiv(v[k], total);
                }
            }
        }
    }

    /** {@code inplace_col_normalize_sparse}: saturating column sums over columns below {@code columns}. */
    static void colNormalize(SparseMatrix m, int columns) {
        long[] colSum = new long[columns];
        for (int i = 0; i < m.rows(); i++) {
            int[] c = m.cols[i];
            long[] v = m.vals[i];
            for (int k = 0; k < c.length; k++) {
                if (c[k] < columns) {
                    colSum[c[k]] = I32F32.add(colSum[c[k]], v[k]);
                }
            }
        }
        for (int i = 0; i < m.rows(); i++) {
            int[] c = m.cols[i];
            long[] v = m.vals[i];
            for (int k = 0; k < c.length; k++) {
                if (c[k] < columns && colSum[c[k]] != 0) {
                    v[k] = I32F32.safeDiv(v[k], colSum[c[k]]);
                }
            }
        }
    }

    /** {@code inplace_col_max_upscale_sparse}: each column divided by its maximum. */
    private static void colMaxUpscale(SparseMatrix m, int columns) {
        long[] colMax = new long[columns];
        for (int i = 0; i < m.rows(); i++) {
            int[] c = m.cols[i];
            long[] v = m.vals[i];
            for (int k = 0; k < c.length; k++) {
                if (c[k] < columns && colMax[c[k]] < v[k]) {
                    colMax[c[k]] = v[k];
                }
            }
        }
        for (int i = 0; i < m.rows(); i++) {
            int[] c = m.cols[i];
            long[] v = m.vals[i];
            for (int k = 0; k < c.length; k++) {
                if (c[k] < columns && colMax[c[k]] != 0) {
                    v[k] = I32F32.safeDiv(v[k], colMax[c[k]]);
                }
            }
        }
    }

    /** {@code col_clip_sparse}: entries above consensus are cut to it, or dropped where consensus is 0. */
    private static SparseMatrix clip(SparseMatrix w, long[] consensus) {
        int rows = w.rows();
        SparseMatrix out = SparseMatrix.empty(rows);
        for (int i = 0; i < rows; i++) {
            int[] c = w.cols[i];
            long[] v = w.vals[i];
            int[] oc = new int[c.length];
            long[] ov = new long[c.length];
            int at = 0;
            for (int k = 0; k < c.length; k++) {
                long threshold = consensus[c[k]];
                if (threshold < v[k]) {
                    if (threshold > 0) {
                        oc[at] = c[k];
                        ov[at++] = threshold;
                    }
                } else {
                    oc[at] = c[k];
                    ov[at++] = v[k];
                }
            }
            out.cols[i] = at == c.length ? oc : Arrays.copyOf(oc, at);
            out.vals[i] = at == c.length ? ov : Arrays.copyOf(ov, at);
        }
        return out;
    }

    private static long[] rowSums(SparseMatrix m) {
        long[] sums = new long[m.rows()];
        for (int i = 0; i < m.rows(); i++) {
            sums[i] = sum(m.vals[i]);
        }
        return sums;
    }

    /** {@code matmul_sparse}: r_j = sum_i s_i * m_ij, saturating. */
    private static long[] matmul(SparseMatrix m, long[] vector, int columns) {
        long[] result = new long[columns];
        for (int i = 0; i < m.rows(); i++) {
            long scale = vector[i];
            int[] c = m.cols[i];
            long[] v = m.vals[i];
            for (int k = 0; k < c.length; k++) {
                result[c[k]] = I32F32.add(result[c[k]], I32F32.mul(scale, v[k]));
            }
        }
        return result;
    }

    /** {@code matmul_transpose_sparse}: r_i = sum_j v_j * m_ij, saturating. */
    private static long[] matmulTranspose(SparseMatrix m, long[] vector) {
        long[] result = new long[m.rows()];
        for (int i = 0; i < m.rows(); i++) {
            int[] c = m.cols[i];
            long[] v = m.vals[i];
            long acc = 0;
            for (int k = 0; k < c.length; k++) {
                long x = c[k] < vector.length ? vector[c[k]] : 0;
                acc = I32F32.add(acc, I32F32.mul(x, v[k]));
            }
            result[i] = acc;
        }
        return result;
    }

    private static SparseMatrix rowHadamard(SparseMatrix m, long[] vector) {
        int rows = m.rows();
        SparseMatrix out = SparseMatrix.empty(rows);
        for (int i = 0; i < rows; i++) {
            long[] v = m.vals[i];
            long[] ov = new long[v.length];
            for (int k = 0; k < v.length; k++) {
                ov[k] = I32F32.mul(v[k], vector[i]);
            }
            out.cols[i] = m.cols[i];
            out.vals[i] = ov;
        }
        return out;
    }

    /** {@code interpolate_sparse}: W + ratio * (C - W), densified per row, positives kept; the ends return a side as is. */
    private static SparseMatrix interpolate(SparseMatrix w, SparseMatrix clipped, int columns, long ratio) {
        if (ratio == 0) {
            return w;
        }
        if (ratio == I32F32.ONE) {
            return clipped;
        }
        int rows = w.rows();
        SparseMatrix out = SparseMatrix.empty(rows);
        long[] row1 = new long[columns];
        long[] row2 = new long[columns];
        int[] oc = new int[columns];
        long[] ov = new long[columns];
        for (int i = 0; i < rows; i++) {
            if (w.cols[i].length == 0 && clipped.cols[i].length == 0) {
                continue;
            }
            Arrays.fill(row1, 0);
            Arrays.fill(row2, 0);
            scatter(w, i, row1);
            scatter(clipped, i, row2);
            int at = 0;
            for (int j = 0; j < columns; j++) {
                long v = I32F32.add(row1[j], I32F32.mul(ratio, I32F32.sub(row2[j], row1[j])));
                if (v > 0) {
                    oc[at] = j;
                    ov[at++] = v;
                }
            }
            out.cols[i] = Arrays.copyOf(oc, at);
            out.vals[i] = Arrays.copyOf(ov, at);
        }
        return out;
    }

    private static void scatter(SparseMatrix m, int i, long[] dense) {
        int[] c = m.cols[i];
        long[] v = m.vals[i];
        for (int k = 0; k < c.length; k++) {
            if (c[k] < dense.length) {
                dense[c[k]] = v[k];
            }
        }
    }

    /** {@code mat_ema_sparse}: alpha * new + (1 - alpha) * old, densified per row, positives kept in column order. */
    static SparseMatrix ema(SparseMatrix fresh, SparseMatrix old, long alpha, int n) {
        int rows = fresh.rows();
        SparseMatrix out = SparseMatrix.empty(rows);
        long oneMinusAlpha = I32F32.sub(I32F32.ONE, alpha);
        long[] acc = new long[n];
        int[] oc = new int[n];
        long[] ov = new long[n];
        for (int i = 0; i < rows; i++) {
            int[] fc = fresh.cols[i];
            int[] pc = i < old.rows() ? old.cols[i] : SparseMatrix.noCols();
            if (fc.length == 0 && pc.length == 0) {
                continue;
            }
            Arrays.fill(acc, 0);
            long[] fv = fresh.vals[i];
            for (int k = 0; k < fc.length; k++) {
                if (fc[k] < n) {
                    acc[fc[k]] = I32F32.add(acc[fc[k]], I32F32.mul(alpha, fv[k]));
                }
            }
            long[] pv = old.vals[i];
            for (int k = 0; k < pc.length; k++) {
                if (pc[k] < n) {
                    acc[pc[k]] = I32F32.add(acc[pc[k]], I32F32.mul(oneMinusAlpha, pv[k]));
                }
            }
            int at = 0;
            for (int j = 0; j < n; j++) {
                if (acc[j] > 0) {
                    oc[at] = j;
                    ov[at++] = acc[j];
                }
            }
            out.cols[i] = Arrays.copyOf(oc, at);
            out.vals[i] = Arrays.copyOf(ov, at);
        }
        return out;
    }

    /**
     * The bonds moving average as I64F64 {@code bma / 1e6}, narrowed (floor, saturating) to I32F32:
     * floor(bma * 2^32 / 1e6).
     */
    static long movingAverage(long bondsMovingAverage) {
        long whole = Long.divideUnsigned(bondsMovingAverage, ONE_MILLION);
        if (whole > Integer.MAX_VALUE) {
            return I32F32.MAX;
        }
        long rest = Long.remainderUnsigned(bondsMovingAverage, ONE_MILLION);
        return (whole << 32) + (rest << 32) / ONE_MILLION;
    }

    private static boolean anyNonZero(long[] values) {
        for (long v : values) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    private static long saturatingAddUnsigned(long a, long b) {
        long r = a + b;
        return Long.compareUnsigned(r, a) < 0 ? -1L : r;
    }

    private static long saturatingSubUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) < 0 ? 0 : a - b;
    }
}
