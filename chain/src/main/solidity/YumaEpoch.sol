// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {YumaFixed as F} from "./YumaFixed.sol";

/// @title One Yuma Consensus epoch over memory arrays, bit-exact with subtensor's sparse epoch and
/// with the Java dev.chorus.chain.yuma.YumaEpoch (same steps, same fixed point, same order).
/// @notice Matrices are compressed rows: row i holds entries start[i] .. start[i+1]-1, in stored
/// order. Commit-reveal column masking is not part of the input (as on a subnet with it off).
/// Bodies are unchecked: indices and sums of i64 values stay far inside 256 bits, and every
/// fixed-point result is clamped by YumaFixed as subtensor's saturating arithmetic does.
library YumaEpoch {
    struct Params {
        uint256 n;
        uint64 blockNumber;
        uint16 tempo;
        uint64 activityCutoff;
        uint64 lastMechanismStepBlock;
        uint64 raoEmission;
        uint16 kappa;
        uint16 bondsPenalty;
        uint64 bondsMovingAverage;
        uint16 maxAllowedValidators;
        uint64 minStake;
        bool hasOwner;
        uint16 ownerUid;
        bool yuma3;
        bool liquidAlpha;
        uint16 alphaLow;
        uint16 alphaHigh;
        int16 alphaSigmoidSteepness;
    }

    /// Stored u16 rows (weights or bonds).
    struct Stored {
        uint256[] start;
        uint16[] cols;
        uint16[] vals;
    }

    struct State {
        uint64[] stake;
        bool[] validatorPermit;
        uint64[] lastUpdate;
        uint64[] blockAtRegistration;
        Stored weights;
        Stored bonds;
    }

    struct Output {
        bool[] active;
        bool[] validatorPermit;
        uint16[] stakeWeight;
        uint16[] consensus;
        uint16[] incentive;
        uint16[] dividends;
        uint16[] validatorTrust;
        uint64[] emission;
        uint64[] serverEmission;
        uint64[] validatorEmission;
        Stored bonds;
    }

    /// An I32F32 matrix in compressed rows. Memory is never freed in the EVM and its cost grows
    /// quadratically, so each entry packs its column (bits 64..79) and value (low 64 bits, i64) in
    /// one word, and masks, products and normalizations work in place.
    struct Rows {
        uint256[] start;
        uint256[] entry;
    }

    /// Intermediate per-uid vectors, kept together to stay clear of the stack limit.
    struct Terms {
        bool[] active;
        int256[] stake;
        bool[] permits;
        bool[] newPermits;
        int256[] activeStake;
        int256[] consensus;
        int256[] trust;
        int256[] incentive;
        int256[] dividends;
        Rows emaBonds;
    }

    function pack(uint256 col, int256 val) private pure returns (uint256) {
        unchecked {
            return (col << 64) | uint256(uint64(int64(val)));
        }
    }

    function colOf(uint256 e) private pure returns (uint256) {
        unchecked {
            return e >> 64;
        }
    }

    function valOf(uint256 e) private pure returns (int256) {
        unchecked {
            return int256(int64(uint64(e)));
        }
    }

    function run(Params memory p, State memory s) internal pure returns (Output memory) {
        unchecked {
            uint256 n = p.n;
            Terms memory t;
            t.active = new bool[](n);
            for (uint256 i = 0; i < n; i++) {
                uint256 reach = uint256(s.lastUpdate[i]) + p.activityCutoff;
                if (reach > type(uint64).max) {
                    reach = type(uint64).max;
                }
                t.active[i] = reach >= p.blockNumber;
            }
            bool owned = p.hasOwner && p.ownerUid < n;
            t.stake = normalizedStake(p, s.stake, owned);
            t.permits = new bool[](n);
            for (uint256 i = 0; i < n; i++) {
                t.permits[i] = s.validatorPermit[i];
            }
            if (owned) {
                t.permits[p.ownerUid] = true;
            }
            t.newPermits = topKNonZero(t.stake, p.maxAllowedValidators);
            if (owned) {
                t.newPermits[p.ownerUid] = true;
            }
            t.activeStake = new int256[](n);
            for (uint256 i = 0; i < n; i++) {
                t.activeStake[i] = t.active[i] && t.permits[i] ? t.stake[i] : int256(0);
            }
            normalize(t.activeStake);

            Rows memory w = maskedWeights(p, s, t.permits, owned);
            rowNormalize(w);
            t.consensus = weightedMedianColumns(t.activeStake, w, n, F.safeDiv(int256(uint256(p.kappa)) << 32, F.U16_MAX));
            Rows memory clipped = clip(w, t.consensus);
            t.trust = new int256[](n);
            for (uint256 i = 0; i < n; i++) {
                int256 total = 0;
                for (uint256 k = clipped.start[i]; k < clipped.start[i + 1]; k++) {
                    total = F.wrap64(total + valOf(clipped.entry[k]));
                }
                t.trust[i] = total;
            }
            t.incentive = matmul(clipped, t.activeStake, n);
            normalize(t.incentive);

            // W and C are not read again: the bonds step may overwrite whichever it is handed
            Rows memory wfb =
                interpolate(w, clipped, n, F.safeDiv(int256(uint256(p.bondsPenalty)) << 32, F.U16_MAX));
            if (p.yuma3) {
                yuma3Bonds(p, s, t, wfb);
            } else {
                classicBonds(p, s, t, wfb);
            }
            return finish(p, s, t);
        }
    }

    function lastTempo(Params memory p) private pure returns (uint256) {
        unchecked {
            if (p.lastMechanismStepBlock == 0) {
                return p.blockNumber > p.tempo ? uint256(p.blockNumber) - p.tempo : 0;
            }
            uint256 next = uint256(p.lastMechanismStepBlock) + 1;
            return next > type(uint64).max ? type(uint64).max : next;
        }
    }

    function alphaOf(Params memory p) private pure returns (int256) {
        unchecked {
            return F.sub(F.ONE, movingAverage(p.bondsMovingAverage));
        }
    }

    function classicBonds(Params memory p, State memory s, Terms memory t, Rows memory wfb) private pure {
        unchecked {
            uint256 n = p.n;
            Rows memory bonds = storedBonds(s.bonds, false, lastTempo(p), s.blockAtRegistration);
            colNormalize(bonds, n);
            for (uint256 i = 0; i < n; i++) {
                for (uint256 k = wfb.start[i]; k < wfb.start[i + 1]; k++) {
                    uint256 e = wfb.entry[k];
                    wfb.entry[k] = pack(colOf(e), F.mul(valOf(e), t.activeStake[i]));
                }
            }
            colNormalize(wfb, n);
            Rows memory ema_ = ema(wfb, bonds, alphaOf(p), n);
            colNormalize(ema_, n);
            t.dividends = new int256[](n);
            for (uint256 i = 0; i < n; i++) {
                int256 acc = 0;
                for (uint256 k = ema_.start[i]; k < ema_.start[i + 1]; k++) {
                    uint256 j = colOf(ema_.entry[k]);
                    acc = F.add(acc, F.mul(j < n ? t.incentive[j] : int256(0), valOf(ema_.entry[k])));
                }
                t.dividends[i] = acc;
            }
            normalize(t.dividends);
            colMaxUpscale(ema_, n);
            t.emaBonds = ema_;
        }
    }

    function yuma3Bonds(Params memory p, State memory s, Terms memory t, Rows memory wfb) private pure {
        unchecked {
            uint256 n = p.n;
            Rows memory bonds = storedBonds(s.bonds, true, lastTempo(p), s.blockAtRegistration);
            Rows memory ema_;
            if (p.liquidAlpha && anyNonZero(t.consensus)) {
                ema_ = liquidEma(p, wfb, bonds, t.consensus);
            } else {
                ema_ = ema(wfb, bonds, alphaOf(p), n);
            }
            // dividends read the column-normalized EMA; the stored bonds stay unnormalized
            int256[] memory colSum = columnSums(ema_, n);
            t.dividends = new int256[](n);
            for (uint256 i = 0; i < n; i++) {
                int256 total = 0;
                for (uint256 k = ema_.start[i]; k < ema_.start[i + 1]; k++) {
                    uint256 j = colOf(ema_.entry[k]);
                    if (j < n) {
                        int256 v = valOf(ema_.entry[k]);
                        int256 normalized = colSum[j] != 0 ? F.safeDiv(v, colSum[j]) : v;
                        total = F.wrap64(total + F.mul(normalized, t.incentive[j]));
                    }
                }
                t.dividends[i] = F.mulOrZero(total, t.activeStake[i]);
            }
            normalize(t.dividends);
            t.emaBonds = ema_;
        }
    }

    function finish(Params memory p, State memory s, Terms memory t) private pure returns (Output memory out) {
        unchecked {
            uint256 n = p.n;
            int256[] memory serverShare = new int256[](n);
            int256[] memory validatorShare = new int256[](n);
            int256[] memory combinedShare = new int256[](n);
            int256 emissionSum = 0;
            for (uint256 i = 0; i < n; i++) {
                combinedShare[i] = F.add(t.incentive[i], t.dividends[i]);
                emissionSum = F.wrap64(emissionSum + combinedShare[i]);
            }
            for (uint256 i = 0; i < n; i++) {
                serverShare[i] = emissionSum == 0 ? t.incentive[i] : F.safeDiv(t.incentive[i], emissionSum);
                validatorShare[i] = emissionSum == 0 ? t.dividends[i] : F.safeDiv(t.dividends[i], emissionSum);
            }
            normalize(combinedShare);
            if (emissionSum == 0) {
                int256[] memory fallback_ = sum(t.activeStake) == 0 ? t.stake : t.activeStake;
                for (uint256 i = 0; i < n; i++) {
                    validatorShare[i] = fallback_[i];
                    combinedShare[i] = fallback_[i];
                }
            }
            out.active = t.active;
            out.validatorPermit = t.newPermits;
            out.stakeWeight = new uint16[](n);
            out.consensus = new uint16[](n);
            out.incentive = new uint16[](n);
            out.dividends = new uint16[](n);
            out.validatorTrust = new uint16[](n);
            out.emission = new uint64[](n);
            out.serverEmission = new uint64[](n);
            out.validatorEmission = new uint64[](n);
            for (uint256 i = 0; i < n; i++) {
                out.serverEmission[i] = shareOf(serverShare[i], p.raoEmission);
                out.validatorEmission[i] = shareOf(validatorShare[i], p.raoEmission);
                out.emission[i] = shareOf(combinedShare[i], p.raoEmission);
                out.stakeWeight[i] = F.proportionToU16(t.stake[i]);
                out.consensus[i] = F.proportionToU16(t.consensus[i]);
                out.incentive[i] = F.proportionToU16(t.incentive[i]);
                out.dividends[i] = F.proportionToU16(t.dividends[i]);
                out.validatorTrust[i] = F.proportionToU16(t.trust[i]);
            }
            out.bonds = nextBonds(s.bonds, t, n);
        }
    }

    /// §3.13: new permit → the EMA row as u16; lost permit → empty; never permitted → unchanged.
    function nextBonds(Stored memory old, Terms memory t, uint256 n) private pure returns (Stored memory b) {
        unchecked {
            b.start = new uint256[](n + 1);
            uint256 size = 0;
            for (uint256 i = 0; i < n; i++) {
                if (t.newPermits[i]) {
                    size += t.emaBonds.start[i + 1] - t.emaBonds.start[i];
                } else if (!t.permits[i]) {
                    size += old.start[i + 1] - old.start[i];
                }
            }
            b.cols = new uint16[](size);
            b.vals = new uint16[](size);
            uint256 at = 0;
            for (uint256 i = 0; i < n; i++) {
                b.start[i] = at;
                if (t.newPermits[i]) {
                    for (uint256 k = t.emaBonds.start[i]; k < t.emaBonds.start[i + 1]; k++) {
                        b.cols[at] = uint16(colOf(t.emaBonds.entry[k]));
                        b.vals[at++] = F.proportionToU16(valOf(t.emaBonds.entry[k]));
                    }
                } else if (!t.permits[i]) {
                    for (uint256 k = old.start[i]; k < old.start[i + 1]; k++) {
                        b.cols[at] = old.cols[k];
                        b.vals[at++] = old.vals[k];
                    }
                }
            }
            b.start[n] = at;
        }
    }

    /// I96F32(share) * I96F32(rao), floored to u64 and clamped.
    function shareOf(int256 share, uint64 rao) private pure returns (uint64) {
        unchecked {
            if (share <= 0) {
                return 0;
            }
            uint256 value = (uint256(share) * rao) >> 32;
            return value > type(uint64).max ? type(uint64).max : uint64(value);
        }
    }

    /// Stakes under the threshold (the owner excepted) zeroed, then floor(s * 2^32 / total).
    function normalizedStake(Params memory p, uint64[] memory raw, bool owned)
        private
        pure
        returns (int256[] memory stake)
    {
        unchecked {
            uint256 n = p.n;
            stake = new int256[](n);
            uint256 total = 0;
            for (uint256 i = 0; i < n; i++) {
                bool exempt = owned && i == p.ownerUid;
                if (exempt || raw[i] >= p.minStake) {
                    total += raw[i];
                }
            }
            require(total < 2 ** 63, "YumaEpoch: total stake must stay below 2^63");
            if (total == 0) {
                return stake;
            }
            for (uint256 i = 0; i < n; i++) {
                bool exempt = owned && i == p.ownerUid;
                if (exempt || raw[i] >= p.minStake) {
                    stake[i] = int256((uint256(raw[i]) << 32) / total);
                }
            }
        }
    }

    /// is_topk_nonzero: non-zero entries among the k largest, ties broken by uid (a stable sort).
    function topKNonZero(int256[] memory values, uint256 k) private pure returns (bool[] memory result) {
        unchecked {
            uint256 n = values.length;
            result = new bool[](n);
            for (uint256 i = 0; i < n; i++) {
                result[i] = values[i] != 0;
            }
            if (n < k) {
                return result;
            }
            for (uint256 i = 0; i < n; i++) {
                if (!result[i]) {
                    continue;
                }
                uint256 rank = 0;
                int256 v = values[i];
                for (uint256 j = 0; j < n; j++) {
                    if (values[j] < v || (values[j] == v && j < i)) {
                        rank++;
                    }
                }
                if (rank < n - k) {
                    result[i] = false;
                }
            }
        }
    }

    function sum(int256[] memory x) private pure returns (int256 total) {
        unchecked {
            for (uint256 i = 0; i < x.length; i++) {
                total = F.wrap64(total + x[i]);
            }
        }
    }

    function normalize(int256[] memory x) private pure {
        unchecked {
            int256 total = sum(x);
            if (total == 0) {
                return;
            }
            for (uint256 i = 0; i < x.length; i++) {
                x[i] = F.safeDiv(x[i], total);
            }
        }
    }

    function anyNonZero(int256[] memory x) private pure returns (bool) {
        unchecked {
            for (uint256 i = 0; i < x.length; i++) {
                if (x[i] != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /// floor(bma * 2^32 / 1e6), saturating: the I64F64 ratio narrowed to I32F32.
    function movingAverage(uint64 bma) private pure returns (int256) {
        unchecked {
            uint256 whole = bma / 1_000_000;
            if (whole > uint256(uint32(type(int32).max))) {
                return F.MAX;
            }
            return int256((whole << 32) + ((uint256(bma % 1_000_000) << 32) / 1_000_000));
        }
    }

    function shrink(uint256[] memory a, uint256 len) private pure {
        assembly ("memory-safe") {
            mstore(a, len)
        }
    }

    /// Stored bonds as I32F32 (integers, or proportions of 65535 for Yuma3), less bonds to uids
    /// registered since the previous epoch (last_tempo <= registered).
    function storedBonds(Stored memory stored, bool asProportion, uint256 lastTempo_, uint64[] memory registered)
        private
        pure
        returns (Rows memory r)
    {
        unchecked {
            uint256 rows = stored.start.length - 1;
            r.start = new uint256[](rows + 1);
            r.entry = new uint256[](stored.start[rows]);
            uint256 at = 0;
            for (uint256 i = 0; i < rows; i++) {
                r.start[i] = at;
                for (uint256 k = stored.start[i]; k < stored.start[i + 1]; k++) {
                    uint256 j = stored.cols[k];
                    uint256 reg = j < registered.length ? registered[j] : 0;
                    if (lastTempo_ > reg) {
                        int256 value = int256(uint256(stored.vals[k])) << 32;
                        r.entry[at++] = pack(j, asProportion ? F.safeDiv(value, F.U16_MAX) : value);
                    }
                }
            }
            r.start[rows] = at;
            shrink(r.entry, at);
        }
    }

    /// §3.5: weights to uids below n, less non-permitted rows, self-weights (owner excepted) and
    /// entries set no later than the target uid's registration.
    function maskedWeights(Params memory p, State memory s, bool[] memory permits, bool owned)
        private
        pure
        returns (Rows memory r)
    {
        unchecked {
            uint256 n = p.n;
            Stored memory stored = s.weights;
            r.start = new uint256[](n + 1);
            r.entry = new uint256[](stored.start[n]);
            uint256 at = 0;
            for (uint256 i = 0; i < n; i++) {
                r.start[i] = at;
                if (!permits[i]) {
                    continue;
                }
                for (uint256 k = stored.start[i]; k < stored.start[i + 1]; k++) {
                    uint256 j = stored.cols[k];
                    if (j >= n) {
                        continue;
                    }
                    bool diagonal = j == i && !(owned && i == p.ownerUid);
                    bool outdated = s.lastUpdate[i] <= s.blockAtRegistration[j];
                    if (!diagonal && !outdated) {
                        r.entry[at++] = pack(j, int256(uint256(stored.vals[k])) << 32);
                    }
                }
            }
            r.start[n] = at;
            shrink(r.entry, at);
        }
    }

    function rowNormalize(Rows memory m) private pure {
        unchecked {
            uint256 rows = m.start.length - 1;
            for (uint256 i = 0; i < rows; i++) {
                int256 total = 0;
                for (uint256 k = m.start[i]; k < m.start[i + 1]; k++) {
                    total = F.wrap64(total + valOf(m.entry[k]));
                }
                if (total > 0) {
                    for (uint256 k = m.start[i]; k < m.start[i + 1]; k++) {
                        uint256 e = m.entry[k];
                        m.entry[k] = pack(colOf(e), F.safeDiv(valOf(e), total));
                    }
                }
            }
        }
    }

    /// Saturating column sums over the first `columns` columns, in entry order.
    function columnSums(Rows memory m, uint256 columns) private pure returns (int256[] memory colSum) {
        unchecked {
            colSum = new int256[](columns);
            for (uint256 k = 0; k < m.entry.length; k++) {
                uint256 j = colOf(m.entry[k]);
                if (j < columns) {
                    colSum[j] = F.add(colSum[j], valOf(m.entry[k]));
                }
            }
        }
    }

    function colNormalize(Rows memory m, uint256 columns) private pure {
        unchecked {
            int256[] memory colSum = columnSums(m, columns);
            for (uint256 k = 0; k < m.entry.length; k++) {
                uint256 e = m.entry[k];
                uint256 j = colOf(e);
                if (j < columns && colSum[j] != 0) {
                    m.entry[k] = pack(j, F.safeDiv(valOf(e), colSum[j]));
                }
            }
        }
    }

    function colMaxUpscale(Rows memory m, uint256 columns) private pure {
        unchecked {
            int256[] memory colMax = new int256[](columns);
            for (uint256 k = 0; k < m.entry.length; k++) {
                uint256 j = colOf(m.entry[k]);
                if (j < columns && colMax[j] < valOf(m.entry[k])) {
                    colMax[j] = valOf(m.entry[k]);
                }
            }
            for (uint256 k = 0; k < m.entry.length; k++) {
                uint256 e = m.entry[k];
                uint256 j = colOf(e);
                if (j < columns && colMax[j] != 0) {
                    m.entry[k] = pack(j, F.safeDiv(valOf(e), colMax[j]));
                }
            }
        }
    }

    function clip(Rows memory w, int256[] memory consensus) private pure returns (Rows memory r) {
        unchecked {
            uint256 rows = w.start.length - 1;
            r.start = new uint256[](rows + 1);
            r.entry = new uint256[](w.entry.length);
            uint256 at = 0;
            for (uint256 i = 0; i < rows; i++) {
                r.start[i] = at;
                for (uint256 k = w.start[i]; k < w.start[i + 1]; k++) {
                    uint256 e = w.entry[k];
                    int256 threshold = consensus[colOf(e)];
                    if (threshold < valOf(e)) {
                        if (threshold > 0) {
                            r.entry[at++] = pack(colOf(e), threshold);
                        }
                    } else {
                        r.entry[at++] = e;
                    }
                }
            }
            r.start[rows] = at;
            shrink(r.entry, at);
        }
    }

    function matmul(Rows memory m, int256[] memory vector, uint256 columns)
        private
        pure
        returns (int256[] memory result)
    {
        unchecked {
            result = new int256[](columns);
            uint256 rows = m.start.length - 1;
            for (uint256 i = 0; i < rows; i++) {
                for (uint256 k = m.start[i]; k < m.start[i + 1]; k++) {
                    uint256 j = colOf(m.entry[k]);
                    result[j] = F.add(result[j], F.mul(vector[i], valOf(m.entry[k])));
                }
            }
        }
    }

    /// interpolate_sparse: W + ratio * (C - W) per dense row, positives kept; the ends return a side.
    function interpolate(Rows memory w, Rows memory c, uint256 columns, int256 ratio)
        private
        pure
        returns (Rows memory r)
    {
        unchecked {
            if (ratio == 0) {
                return w;
            }
            if (ratio == F.ONE) {
                return c;
            }
            uint256 rows = w.start.length - 1;
            r.start = new uint256[](rows + 1);
            // a positive result needs a non-zero entry in W or C, so their sizes bound it
            r.entry = new uint256[](w.entry.length + c.entry.length);
            int256[] memory row1 = new int256[](columns);
            int256[] memory row2 = new int256[](columns);
            uint256 at = 0;
            for (uint256 i = 0; i < rows; i++) {
                r.start[i] = at;
                if (w.start[i] == w.start[i + 1] && c.start[i] == c.start[i + 1]) {
                    continue;
                }
                for (uint256 j = 0; j < columns; j++) {
                    row1[j] = 0;
                    row2[j] = 0;
                }
                for (uint256 k = w.start[i]; k < w.start[i + 1]; k++) {
                    row1[colOf(w.entry[k])] = valOf(w.entry[k]);
                }
                for (uint256 k = c.start[i]; k < c.start[i + 1]; k++) {
                    row2[colOf(c.entry[k])] = valOf(c.entry[k]);
                }
                for (uint256 j = 0; j < columns; j++) {
                    int256 v = F.add(row1[j], F.mul(ratio, F.sub(row2[j], row1[j])));
                    if (v > 0) {
                        r.entry[at++] = pack(j, v);
                    }
                }
            }
            r.start[rows] = at;
            shrink(r.entry, at);
        }
    }

    /// mat_ema_sparse: alpha * new + (1 - alpha) * old per dense row, positives in column order.
    function ema(Rows memory fresh, Rows memory old, int256 alpha, uint256 n) private pure returns (Rows memory r) {
        unchecked {
            uint256 rows = fresh.start.length - 1;
            int256 oneMinusAlpha = F.sub(F.ONE, alpha);
            r.start = new uint256[](rows + 1);
            // a positive accumulator needs an entry in the new or the old row
            r.entry = new uint256[](fresh.entry.length + old.entry.length);
            int256[] memory acc = new int256[](n);
            uint256 at = 0;
            for (uint256 i = 0; i < rows; i++) {
                r.start[i] = at;
                if (fresh.start[i] == fresh.start[i + 1] && old.start[i] == old.start[i + 1]) {
                    continue;
                }
                for (uint256 j = 0; j < n; j++) {
                    acc[j] = 0;
                }
                for (uint256 k = fresh.start[i]; k < fresh.start[i + 1]; k++) {
                    uint256 j = colOf(fresh.entry[k]);
                    if (j < n) {
                        acc[j] = F.add(acc[j], F.mul(alpha, valOf(fresh.entry[k])));
                    }
                }
                for (uint256 k = old.start[i]; k < old.start[i + 1]; k++) {
                    uint256 j = colOf(old.entry[k]);
                    if (j < n) {
                        acc[j] = F.add(acc[j], F.mul(oneMinusAlpha, valOf(old.entry[k])));
                    }
                }
                for (uint256 j = 0; j < n; j++) {
                    if (acc[j] > 0) {
                        r.entry[at++] = pack(j, acc[j]);
                    }
                }
            }
            r.start[rows] = at;
            shrink(r.entry, at);
        }
    }

    struct Sigmoid {
        int256 low;
        int256 high;
        int256 slope;
    }

    /// Yuma3 liquid alpha: per-entry alpha from the same sorted-merge walk subtensor does, then
    /// mat_ema_alpha_sparse (absent new entries drop the bond).
    function liquidEma(Params memory p, Rows memory w, Rows memory b, int256[] memory consensus)
        private
        pure
        returns (Rows memory r)
    {
        unchecked {
            uint256 n = consensus.length;
            Sigmoid memory sg = Sigmoid(
                F.u16Proportion(p.alphaLow),
                F.u16Proportion(p.alphaHigh),
                F.saturatingDiv(int256(p.alphaSigmoidSteepness) << 32, -100 << 32)
            );
            uint256 rows = w.start.length - 1;
            r.start = new uint256[](rows + 1);
            r.entry = new uint256[](w.entry.length);
            int256[] memory walkedWeight = new int256[](n);
            int256[] memory walkedBond = new int256[](n);
            int256[] memory oldBond = new int256[](n);
            uint256[] memory oldStamp = new uint256[](n);
            uint256 at = 0;
            for (uint256 i = 0; i < rows; i++) {
                r.start[i] = at;
                if (w.start[i] == w.start[i + 1]) {
                    continue;
                }
                walk(w, i, walkedWeight);
                walk(b, i, walkedBond);
                for (uint256 k = b.start[i]; k < b.start[i + 1]; k++) {
                    uint256 j = colOf(b.entry[k]);
                    if (j < n) {
                        oldBond[j] = valOf(b.entry[k]);
                        oldStamp[j] = i + 1;
                    }
                }
                for (uint256 k = w.start[i]; k < w.start[i + 1]; k++) {
                    uint256 j = colOf(w.entry[k]);
                    if (j >= n) {
                        continue;
                    }
                    int256 a = alphaSigmoid(consensus[j], walkedWeight[j], walkedBond[j], sg);
                    int256 decayed = oldStamp[j] == i + 1 ? F.mul(F.sub(F.ONE, a), oldBond[j]) : int256(0);
                    int256 increment = F.mul(a, valOf(w.entry[k]));
                    if (increment < 0) {
                        increment = 0;
                    }
                    int256 value = F.add(decayed, increment);
                    if (value > F.ONE) {
                        value = F.ONE;
                    }
                    if (value > 0) {
                        r.entry[at++] = pack(j, value);
                    }
                }
            }
            r.start[rows] = at;
            shrink(r.entry, at);
        }
    }

    function walk(Rows memory m, uint256 i, int256[] memory dense) private pure {
        unchecked {
            uint256 q = m.start[i];
            uint256 end = m.start[i + 1];
            for (uint256 j = 0; j < dense.length; j++) {
                while (q < end && colOf(m.entry[q]) < j) {
                    q++;
                }
                dense[j] = q < end && colOf(m.entry[q]) == j ? valOf(m.entry[q]) : int256(0);
            }
        }
    }

    function alphaSigmoid(int256 c, int256 w, int256 b, Sigmoid memory sg) private pure returns (int256) {
        unchecked {
            int256 diffBuy = clampRange(F.sub(w, c), 0, F.ONE);
            int256 diffSell = clampRange(F.sub(b, w), 0, F.ONE);
            int256 combined = w >= b ? diffBuy : diffSell;
            int256 x = F.mul(sg.slope, F.sub(combined, 1 << 31));
            int256 sigmoid = F.saturatingDiv(F.ONE, F.add(F.ONE, F.expSafe(x)));
            int256 alpha = F.add(sg.low, F.mul(sigmoid, F.sub(sg.high, sg.low)));
            return clampRange(alpha, sg.low, sg.high);
        }
    }

    function clampRange(int256 v, int256 low, int256 high) private pure returns (int256) {
        unchecked {
            if (v > high) {
                v = high;
            }
            return v < low ? low : v;
        }
    }

    /// weighted_median_col_sparse: per column, the stake-weighted median over positive-stake rows.
    function weightedMedianColumns(int256[] memory stake, Rows memory score, uint256 columns, int256 majority)
        private
        pure
        returns (int256[] memory median)
    {
        unchecked {
            median = new int256[](columns);
            uint256 voters = 0;
            for (uint256 i = 0; i < stake.length; i++) {
                if (stake[i] > 0) {
                    voters++;
                }
            }
            if (voters == 0) {
                return median;
            }
            int256[] memory useStake = new int256[](voters);
            uint256 v = 0;
            for (uint256 i = 0; i < stake.length; i++) {
                if (stake[i] > 0) {
                    useStake[v++] = stake[i];
                }
            }
            normalize(useStake);
            int256 stakeSum = sum(useStake);
            int256 minority = F.sub(stakeSum, majority);
            int256[] memory scores = new int256[](columns * voters);
            v = 0;
            for (uint256 i = 0; i < stake.length; i++) {
                if (stake[i] > 0) {
                    for (uint256 k = score.start[i]; k < score.start[i + 1]; k++) {
                        uint256 j = colOf(score.entry[k]);
                        if (j < columns) {
                            scores[j * voters + v] = valOf(score.entry[k]);
                        }
                    }
                    v++;
                }
            }
            uint256[] memory partition = new uint256[](voters);
            uint256[] memory lower = new uint256[](voters);
            uint256[] memory upper = new uint256[](voters);
            for (uint256 c = 0; c < columns; c++) {
                median[c] = weightedMedian(useStake, scores, c * voters, minority, stakeSum, partition, lower, upper);
            }
        }
    }

    function weightedMedian(
        int256[] memory stake,
        int256[] memory score,
        uint256 offset,
        int256 minority,
        int256 hi,
        uint256[] memory partition,
        uint256[] memory lower,
        uint256[] memory upper
    ) private pure returns (int256) {
        unchecked {
            uint256 count = stake.length;
            for (uint256 t = 0; t < count; t++) {
                partition[t] = t;
            }
            uint256 size = count;
            uint256 iterations = 0;
            int256 lo = 0;
            while (true) {
                if (size == 0) {
                    return 0;
                }
                if (size == 1) {
                    return score[offset + partition[0]];
                }
                int256 pivot = score[offset + partition[size / 2]];
                int256 loStake = 0;
                int256 hiStake = 0;
                uint256 nLower = 0;
                uint256 nUpper = 0;
                for (uint256 t = 0; t < size; t++) {
                    uint256 idx = partition[t];
                    int256 value = score[offset + idx];
                    if (value == pivot) {
                        continue;
                    }
                    if (value < pivot) {
                        loStake = F.add(loStake, stake[idx]);
                        lower[nLower++] = idx;
                    } else {
                        hiStake = F.add(hiStake, stake[idx]);
                        upper[nUpper++] = idx;
                    }
                }
                int256 loEdge = F.add(lo, loStake);
                int256 hiEdge = F.sub(hi, hiStake);
                if (minority < loEdge && nLower > 0) {
                    for (uint256 t = 0; t < nLower; t++) {
                        partition[t] = lower[t];
                    }
                    size = nLower;
                    hi = loEdge;
                } else if (hiEdge <= minority && nUpper > 0) {
                    for (uint256 t = 0; t < nUpper; t++) {
                        partition[t] = upper[t];
                    }
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
            return 0;
        }
    }
}

/// @title Test and tooling entry point: one epoch as an eth_call over ABI arrays.
/// @notice params, in order: n, block, tempo, activity_cutoff, last_mechanism_step_block,
/// rao_emission, kappa, bonds_penalty, bonds_moving_average, max_allowed_validators, min_stake,
/// has_owner (0/1), owner_uid, yuma3 (0/1), liquid_alpha (0/1), alpha_low, alpha_high,
/// alpha_sigmoid_steepness (i16 as its u16 bits). perUid is stake | last_update |
/// block_at_registration (n each). Rows are compressed: row i spans entries start[i]..start[i+1]-1;
/// entries are packed eight to a word, entry m in word m / 8 at bit 32 * (m % 8) as
/// (uid << 16 | value), which keeps dense 256-uid subnets within a node's request size.
/// Outputs: flags = active | new validator_permit;
/// terms = stake_weight | consensus | incentive | dividends | validator_trust; emissions =
/// emission | server_emission | validator_emission; then the stored bonds as rows.
contract YumaEpochRunner {
    function run(
        uint256[] memory params,
        uint64[] memory perUid,
        bool[] memory validatorPermit,
        uint256[] memory weightStart,
        uint256[] memory weightPacked,
        uint256[] memory bondStart,
        uint256[] memory bondPacked
    )
        public
        pure
        returns (bool[] memory flags, uint16[] memory terms, uint64[] memory emissions, uint256[] memory, uint256[] memory)
    {
        YumaEpoch.Params memory p = toParams(params);
        uint256 n = p.n;
        require(perUid.length == 3 * n && validatorPermit.length == n, "YumaEpochRunner: per-uid arrays need n entries");
        YumaEpoch.State memory s;
        s.stake = slice(perUid, 0, n);
        s.lastUpdate = slice(perUid, n, n);
        s.blockAtRegistration = slice(perUid, 2 * n, n);
        s.validatorPermit = validatorPermit;
        s.weights = unpack(weightStart, weightPacked, n);
        s.bonds = unpack(bondStart, bondPacked, n);
        YumaEpoch.Output memory out = YumaEpoch.run(p, s);
        flags = new bool[](2 * n);
        terms = new uint16[](5 * n);
        emissions = new uint64[](3 * n);
        for (uint256 i = 0; i < n; i++) {
            flags[i] = out.active[i];
            flags[n + i] = out.validatorPermit[i];
            terms[i] = out.stakeWeight[i];
            terms[n + i] = out.consensus[i];
            terms[2 * n + i] = out.incentive[i];
            terms[3 * n + i] = out.dividends[i];
            terms[4 * n + i] = out.validatorTrust[i];
            emissions[i] = out.emission[i];
            emissions[n + i] = out.serverEmission[i];
            emissions[2 * n + i] = out.validatorEmission[i];
        }
        return (flags, terms, emissions, out.bonds.start, pack(out.bonds));
    }

    function slice(uint64[] memory v, uint256 from, uint256 len) private pure returns (uint64[] memory out) {
        out = new uint64[](len);
        for (uint256 i = 0; i < len; i++) {
            out[i] = v[from + i];
        }
    }

    function unpack(uint256[] memory start, uint256[] memory packed, uint256 n)
        private
        pure
        returns (YumaEpoch.Stored memory rows)
    {
        require(start.length == n + 1 && start[0] == 0, "YumaEpochRunner: rows need n + 1 starts from 0");
        for (uint256 i = 0; i < n; i++) {
            require(start[i] <= start[i + 1], "YumaEpochRunner: row starts must not decrease");
        }
        require(packed.length == (start[n] + 7) / 8, "YumaEpochRunner: rows need 8 entries a word");
        uint256 size = start[n];
        rows.start = start;
        rows.cols = new uint16[](size);
        rows.vals = new uint16[](size);
        for (uint256 m = 0; m < size; m++) {
            uint256 entry = packed[m >> 3] >> ((m & 7) * 32);
            rows.cols[m] = uint16(entry >> 16);
            rows.vals[m] = uint16(entry);
        }
    }

    function pack(YumaEpoch.Stored memory rows) private pure returns (uint256[] memory packed) {
        uint256 size = rows.cols.length;
        packed = new uint256[]((size + 7) / 8);
        for (uint256 m = 0; m < size; m++) {
            packed[m >> 3] |= ((uint256(rows.cols[m]) << 16) | rows.vals[m]) << ((m & 7) * 32);
        }
    }

    function toParams(uint256[] memory v) private pure returns (YumaEpoch.Params memory p) {
        require(v.length == 18, "YumaEpochRunner: params needs 18 values");
        p.n = v[0];
        p.blockNumber = uint64(v[1]);
        p.tempo = uint16(v[2]);
        p.activityCutoff = uint64(v[3]);
        p.lastMechanismStepBlock = uint64(v[4]);
        p.raoEmission = uint64(v[5]);
        p.kappa = uint16(v[6]);
        p.bondsPenalty = uint16(v[7]);
        p.bondsMovingAverage = uint64(v[8]);
        p.maxAllowedValidators = uint16(v[9]);
        p.minStake = uint64(v[10]);
        p.hasOwner = v[11] != 0;
        p.ownerUid = uint16(v[12]);
        p.yuma3 = v[13] != 0;
        p.liquidAlpha = v[14] != 0;
        p.alphaLow = uint16(v[15]);
        p.alphaHigh = uint16(v[16]);
        p.alphaSigmoidSteepness = int16(uint16(v[17]));
    }
}
