// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import {Subnet} from "./Subnet.sol";

/// @title One Yuma Consensus epoch, bit-exact with subtensor's sparse epoch_mechanism, commit-reveal mask included.
/// @notice A stateless contract, deployed apart from Subnet so both stay under the code size limit.
/// Fixed point follows substrate-fixed: an I32F32 is an int256 holding the raw int64 bits
/// (value = bits / 2^32); multiplication floors the wide product, division truncates toward zero,
/// saturating operations clamp to the int64 range and safeDiv gives 0 on division by zero and on
/// overflow. The Java reference is dev.chorus.chain.yuma.YumaEpoch; every step below mirrors it.
contract YumaEpoch {
    int256 private constant ONE = 1 << 32;
    int256 private constant HALF = 1 << 31;
    int256 private constant MAX = type(int64).max;
    int256 private constant MIN = type(int64).min;
    int256 private constant U16_MAX = 65_535 << 32;
    int256 private constant EXP_BOUND = 20 << 32;
    /// substrate-fixed's consts::E narrowed to I9F23, which exp(1) returns verbatim.
    int256 private constant E_I9F23 = 22_802_600 << 9;
    int256 private constant MINUS_HUNDRED = -100 << 32;
    uint256 private constant U64_MAX = type(uint64).max;
    uint256 private constant NONE = type(uint256).max;

    /// The subnet's scalars (subtensor's storage items, spec §2).
    struct Params {
        uint16 n;
        uint64 blockNumber;
        uint16 tempo;
        uint64 activityCutoff;
        uint64 lastStepBlock;
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

    /// Per-uid state, every array of length n; weight and bond rows are stored (uid, u16) pairs in stored order.
    /// commitBlock[i] is the block of uid i's first pending commit not yet expired, type(uint64).max if none.
    struct Neurons {
        uint64[] stake;
        bool[] validatorPermit;
        uint64[] lastUpdate;
        uint64[] registeredAt;
        uint64[] commitBlock;
        uint16[][] weightUids;
        uint16[][] weightValues;
        uint16[][] bondUids;
        uint16[][] bondValues;
    }

    /// The stored terms (u16 proportions, 65535 = 1.0), emissions in base units, and the permits
    /// and bond rows to store for the next epoch (spec §3.13).
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
        uint16[][] bondUids;
        uint16[][] bondValues;
    }

    /// A square sparse matrix of I32F32 values: row i is (cols[i][k], vals[i][k]) in insertion order.
    struct Matrix {
        uint256[][] cols;
        int256[][] vals;
    }

    /// Intermediate per-uid vectors, kept together so the steps pass one reference.
    struct Terms {
        uint256 n;
        uint256 owner;
        bool[] active;
        bool[] permits;
        bool[] newPermits;
        int256[] stake;
        int256[] activeStake;
        int256[] consensus;
        int256[] incentive;
        int256[] dividends;
        int256[] validatorTrust;
    }

    error InputLength(string field, uint256 expected, uint256 given);

    /// Runs one epoch over the given state.
    function run(Params calldata p, Neurons calldata s) external pure returns (Output memory) {
        return epoch(p, s);
    }

    /// Runs the epoch of `netuid` over the state `subnet` shows in its public views, packed for
    /// Subnet.runEpoch so that contract needs no struct decoding. Word i < n holds uid i:
    /// emission (bits 0-63), server + validator emission to pay (64-129), consensus (130-145),
    /// incentive (146-161), dividends (162-177), validator trust (178-193), stake weight (194-209),
    /// new permit (210), active (211) and whether its bond row is stored (212). The stored rows follow
    /// in uid order: a length word, then one word per entry (uid << 16 | value).
    function runFor(Subnet subnet, uint16 netuid) external view returns (uint256[] memory packed) {
        (Params memory p, Neurons memory s) = subnetState(subnet, netuid);
        Output memory out = epoch(p, s);
        uint256 n = p.n;
        uint256 words = n;
        bool[] memory storesRow = new bool[](n);
        for (uint256 i = 0; i < n; i++) {
            storesRow[i] = out.validatorPermit[i] || s.validatorPermit[i] || (p.hasOwner && p.ownerUid == i);
            if (storesRow[i]) words += 1 + out.bondUids[i].length;
        }
        packed = new uint256[](words);
        uint256 at = n;
        for (uint256 i = 0; i < n; i++) {
            packed[i] = uint256(out.emission[i]) | (uint256(out.serverEmission[i]) + out.validatorEmission[i]) << 64
                | uint256(out.consensus[i]) << 130 | uint256(out.incentive[i]) << 146 | uint256(out.dividends[i]) << 162
                | uint256(out.validatorTrust[i]) << 178 | uint256(out.stakeWeight[i]) << 194
                | (out.validatorPermit[i] ? 1 << 210 : 0) | (out.active[i] ? 1 << 211 : 0) | (storesRow[i] ? 1 << 212 : 0);
            if (!storesRow[i]) continue;
            uint16[] memory uids = out.bondUids[i];
            uint16[] memory values = out.bondValues[i];
            packed[at++] = uids.length;
            for (uint256 k = 0; k < uids.length; k++) {
                packed[at++] = uint256(uids[k]) << 16 | values[k];
            }
        }
    }

    /// The epoch's input as subtensor reads it, from the subnet's metagraph, rows and hyperparameters.
    function subnetState(Subnet subnet, uint16 netuid) private view returns (Params memory p, Neurons memory s) {
        (, Subnet.NeuronInfo[] memory neurons) = subnet.getMetagraph(netuid);
        Subnet.Hyperparameters memory hp = subnet.getHyperparameters(netuid);
        // epochIndex is the subnet's currentEpoch at this block, which decides which commits have expired
        (,,, uint64 lastEpochBlock, uint64 epochIndex, bool ownerRegistered, uint16 ownerUid) = subnet.getSubnetInfo(netuid);
        uint256 n = neurons.length;
        p.n = uint16(n);
        p.blockNumber = uint64(block.number);
        p.tempo = hp.tempo;
        p.activityCutoff = hp.activityCutoff;
        p.lastStepBlock = lastEpochBlock;
        p.hasOwner = ownerRegistered;
        p.ownerUid = ownerUid;
        p.raoEmission = hp.emissionPerEpoch;
        p.kappa = hp.kappa;
        p.bondsPenalty = hp.bondsPenalty;
        p.bondsMovingAverage = hp.bondsMovingAverage;
        p.maxAllowedValidators = hp.maxAllowedValidators;
        p.minStake = hp.stakeThreshold;
        p.yuma3 = hp.yuma3;
        p.liquidAlpha = hp.liquidAlpha;
        p.alphaLow = hp.alphaLow;
        p.alphaHigh = hp.alphaHigh;
        p.alphaSigmoidSteepness = hp.alphaSigmoidSteepness;
        s.stake = new uint64[](n);
        s.validatorPermit = new bool[](n);
        s.lastUpdate = new uint64[](n);
        s.registeredAt = new uint64[](n);
        s.commitBlock = new uint64[](n);
        s.weightUids = new uint16[][](n);
        s.weightValues = new uint16[][](n);
        s.bondUids = new uint16[][](n);
        s.bondValues = new uint16[][](n);
        for (uint256 i = 0; i < n; i++) {
            Subnet.NeuronInfo memory neuron = neurons[i];
            s.stake[i] = neuron.stake;
            s.validatorPermit[i] = neuron.validatorPermit;
            s.lastUpdate[i] = neuron.lastUpdate;
            s.registeredAt[i] = neuron.registeredAt;
            s.commitBlock[i] = hp.commitRevealEnabled
                ? firstLiveCommitBlock(subnet.getCommits(netuid, neuron.hotkey), epochIndex, hp.revealPeriod)
                : type(uint64).max;
            (s.weightUids[i], s.weightValues[i]) = subnet.getWeights(netuid, uint16(i));
            (s.bondUids[i], s.bondValues[i]) = subnet.getBonds(netuid, uint16(i));
        }
    }

    /// The block of the first commit still revealable or awaiting its reveal epoch (subtensor walks the
    /// queue, oldest first, and stops at the first one not expired).
    function firstLiveCommitBlock(Subnet.WeightCommit[] memory commits, uint64 epochIndex, uint64 revealPeriod)
        private
        pure
        returns (uint64)
    {
        for (uint256 k = 0; k < commits.length; k++) {
            if (epochIndex <= commits[k].epoch + revealPeriod) return commits[k].block;
        }
        return type(uint64).max;
    }

    function epoch(Params memory p, Neurons memory s) private pure returns (Output memory) {
        Terms memory t = prepare(p, s);
        Matrix memory weights = maskedWeights(s, t);
        rowNormalize(weights);
        t.consensus = weightedMedianColumns(t.activeStake, weights, t.n, safeDiv(int256(uint256(p.kappa)) << 32, U16_MAX));
        Matrix memory clipped = clip(weights, t.consensus);
        t.validatorTrust = new int256[](t.n);
        for (uint256 i = 0; i < t.n; i++) {
            t.validatorTrust[i] = sumWrapping(clipped.vals[i]);
        }
        t.incentive = matmul(clipped, t.activeStake, t.n);
        normalize(t.incentive);
        Matrix memory forBonds =
            interpolate(weights, clipped, t.n, safeDiv(int256(uint256(p.bondsPenalty)) << 32, U16_MAX));
        Matrix memory emaBonds = p.yuma3 ? yuma3Bonds(p, s, t, forBonds) : classicBonds(p, s, t, forBonds);
        return emit_(p, s, t, emaBonds);
    }

    // ---- the epoch's steps -----------------------------------------------------------------------

    /// §3.1-3.4: activity, normalized stake, old and new permits, active stake.
    function prepare(Params memory p, Neurons memory s) private pure returns (Terms memory t) {
        uint256 n = p.n;
        requireLength("stake", n, s.stake.length);
        requireLength("validatorPermit", n, s.validatorPermit.length);
        requireLength("lastUpdate", n, s.lastUpdate.length);
        requireLength("registeredAt", n, s.registeredAt.length);
        requireLength("commitBlock", n, s.commitBlock.length);
        requireLength("weightUids", n, s.weightUids.length);
        requireLength("weightValues", n, s.weightValues.length);
        requireLength("bondUids", n, s.bondUids.length);
        requireLength("bondValues", n, s.bondValues.length);
        t.n = n;
        t.owner = p.hasOwner && p.ownerUid < n ? p.ownerUid : NONE;
        t.active = new bool[](n);
        for (uint256 i = 0; i < n; i++) {
            uint256 reach = uint256(s.lastUpdate[i]) + p.activityCutoff;
            t.active[i] = (reach > U64_MAX ? U64_MAX : reach) >= p.blockNumber;
        }

        uint256[] memory filtered = new uint256[](n);
        uint256 total;
        for (uint256 i = 0; i < n; i++) {
            uint256 st = s.stake[i];
            filtered[i] = i != t.owner && st < p.minStake ? 0 : st;
            total += filtered[i];
        }
        t.stake = new int256[](n);
        if (total != 0) {
            for (uint256 i = 0; i < n; i++) {
                t.stake[i] = int256((filtered[i] << 32) / total);
            }
        }

        t.permits = new bool[](n);
        for (uint256 i = 0; i < n; i++) {
            t.permits[i] = s.validatorPermit[i];
        }
        t.newPermits = topKNonZero(t.stake, p.maxAllowedValidators);
        if (t.owner != NONE) {
            t.permits[t.owner] = true;
            t.newPermits[t.owner] = true;
        }

        t.activeStake = new int256[](n);
        for (uint256 i = 0; i < n; i++) {
            t.activeStake[i] = t.active[i] && t.permits[i] ? t.stake[i] : int256(0);
        }
        normalize(t.activeStake);
    }

    /// is_topk_nonzero: non-zero values among the k largest, ties ranked by uid (a stable ascending sort).
    function topKNonZero(int256[] memory values, uint256 k) private pure returns (bool[] memory result) {
        uint256 n = values.length;
        result = new bool[](n);
        for (uint256 i = 0; i < n; i++) {
            result[i] = values[i] != 0;
        }
        if (n < k) return result;
        uint256 dropped = n - k;
        for (uint256 i = 0; i < n; i++) {
            int256 v = values[i];
            uint256 below;
            for (uint256 j = 0; j < n; j++) {
                int256 w = values[j];
                if (w < v || (w == v && j < i)) below++;
            }
            if (below < dropped) result[i] = false;
        }
    }

    /// §3.5: stored weights as integer I32F32, less non-permitted rows, uids >= n, self-weights
    /// (the owner's excepted), entries set before the target (re)registered and entries on targets
    /// that registered after the row owner's pending commit.
    function maskedWeights(Neurons memory s, Terms memory t) private pure returns (Matrix memory w) {
        uint256 n = t.n;
        w = emptyMatrix(n);
        for (uint256 i = 0; i < n; i++) {
            if (!t.permits[i]) continue;
            uint16[] memory uids = s.weightUids[i];
            uint16[] memory values = s.weightValues[i];
            requireLength("weightValues row", uids.length, values.length);
            uint256[] memory c = new uint256[](uids.length);
            int256[] memory v = new int256[](uids.length);
            uint256 at;
            uint64 updated = s.lastUpdate[i];
            uint64 committed = s.commitBlock[i];
            for (uint256 k = 0; k < uids.length; k++) {
                uint256 j = uids[k];
                if (j >= n || (j == i && i != t.owner) || updated <= s.registeredAt[j] || committed < s.registeredAt[j]) {
                    continue;
                }
                c[at] = j;
                v[at++] = int256(uint256(values[k])) << 32;
            }
            w.cols[i] = shrink(c, at);
            w.vals[i] = shrinkSigned(v, at);
        }
    }

    /// §3.10: classic bonds; returns the column max-upscaled EMA bonds and sets the dividends.
    function classicBonds(Params memory p, Neurons memory s, Terms memory t, Matrix memory forBonds)
        private
        pure
        returns (Matrix memory emaBonds)
    {
        uint256 n = t.n;
        Matrix memory bonds = storedBonds(p, s, false);
        colNormalize(bonds, n);
        Matrix memory delta = emptyMatrix(n);
        for (uint256 i = 0; i < n; i++) {
            int256[] memory v = forBonds.vals[i];
            int256[] memory dv = new int256[](v.length);
            for (uint256 k = 0; k < v.length; k++) {
                dv[k] = mul(v[k], t.activeStake[i]);
            }
            delta.cols[i] = forBonds.cols[i];
            delta.vals[i] = dv;
        }
        colNormalize(delta, n);
        emaBonds = ema(delta, bonds, sub(ONE, movingAverage(p.bondsMovingAverage)), n);
        colNormalize(emaBonds, n);
        t.dividends = new int256[](n);
        for (uint256 i = 0; i < n; i++) {
            uint256[] memory c = emaBonds.cols[i];
            int256[] memory v = emaBonds.vals[i];
            int256 acc;
            for (uint256 k = 0; k < c.length; k++) {
                acc = add(acc, mul(t.incentive[c[k]], v[k]));
            }
            t.dividends[i] = acc;
        }
        normalize(t.dividends);
        colMaxUpscale(emaBonds, n);
    }

    /// §3.11: Yuma3 bonds (fixed or liquid alpha); returns the un-normalized EMA bonds and sets the dividends.
    function yuma3Bonds(Params memory p, Neurons memory s, Terms memory t, Matrix memory forBonds)
        private
        pure
        returns (Matrix memory emaBonds)
    {
        uint256 n = t.n;
        Matrix memory bonds = storedBonds(p, s, true);
        if (p.liquidAlpha && anyNonZero(t.consensus)) {
            emaBonds = liquidAlphaEma(p, forBonds, bonds, t.consensus);
        } else {
            emaBonds = ema(forBonds, bonds, sub(ONE, movingAverage(p.bondsMovingAverage)), n);
        }
        // dividends read the column-normalized EMA bonds; the stored ones stay un-normalized
        int256[] memory colSum = columnSums(emaBonds, n);
        t.dividends = new int256[](n);
        for (uint256 i = 0; i < n; i++) {
            uint256[] memory c = emaBonds.cols[i];
            int256[] memory v = emaBonds.vals[i];
            int256 total;
            for (uint256 k = 0; k < c.length; k++) {
                uint256 j = c[k];
                if (j >= n) continue;
                int256 bond = colSum[j] == 0 ? v[k] : safeDiv(v[k], colSum[j]);
                total += mul(bond, t.incentive[j]);
            }
            t.dividends[i] = mulOrZero(wrap(total), t.activeStake[i]);
        }
        normalize(t.dividends);
    }

    /// Stored bond rows as integer I32F32 (classic) or u16 proportions (Yuma3), less bonds to uids
    /// registered since the previous epoch (last_tempo <= registration block).
    function storedBonds(Params memory p, Neurons memory s, bool asProportion) private pure returns (Matrix memory b) {
        uint256 n = p.n;
        uint256 lastTempo;
        if (p.lastStepBlock == 0) {
            lastTempo = p.blockNumber > p.tempo ? p.blockNumber - p.tempo : 0;
        } else {
            lastTempo = p.lastStepBlock == U64_MAX ? U64_MAX : uint256(p.lastStepBlock) + 1;
        }
        b = emptyMatrix(n);
        for (uint256 i = 0; i < n; i++) {
            uint16[] memory uids = s.bondUids[i];
            uint16[] memory values = s.bondValues[i];
            requireLength("bondValues row", uids.length, values.length);
            uint256[] memory c = new uint256[](uids.length);
            int256[] memory v = new int256[](uids.length);
            uint256 at;
            for (uint256 k = 0; k < uids.length; k++) {
                uint256 j = uids[k];
                uint256 registered = j < n ? s.registeredAt[j] : 0;
                if (lastTempo <= registered) continue;
                int256 value = int256(uint256(values[k])) << 32;
                c[at] = j;
                v[at++] = asProportion ? safeDiv(value, U16_MAX) : value;
            }
            b.cols[i] = shrink(c, at);
            b.vals[i] = shrinkSigned(v, at);
        }
    }

    /// §3.12-3.13: the emission split with its fallbacks, and the stored terms.
    function emit_(Params memory p, Neurons memory s, Terms memory t, Matrix memory emaBonds)
        private
        pure
        returns (Output memory out)
    {
        uint256 n = t.n;
        int256[] memory serverShare = new int256[](n);
        int256[] memory validatorShare = new int256[](n);
        int256[] memory combinedShare = new int256[](n);
        int256 emissionSum;
        for (uint256 i = 0; i < n; i++) {
            combinedShare[i] = add(t.incentive[i], t.dividends[i]);
            emissionSum += combinedShare[i];
        }
        emissionSum = wrap(emissionSum);
        for (uint256 i = 0; i < n; i++) {
            serverShare[i] = emissionSum == 0 ? t.incentive[i] : safeDiv(t.incentive[i], emissionSum);
            validatorShare[i] = emissionSum == 0 ? t.dividends[i] : safeDiv(t.dividends[i], emissionSum);
        }
        normalize(combinedShare);
        if (emissionSum == 0) {
            int256[] memory fallbackShare = sumWrapping(t.activeStake) == 0 ? t.stake : t.activeStake;
            validatorShare = fallbackShare;
            combinedShare = fallbackShare;
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
        out.bondUids = new uint16[][](n);
        out.bondValues = new uint16[][](n);
        uint256 rao = p.raoEmission;
        for (uint256 i = 0; i < n; i++) {
            out.serverEmission[i] = shareOf(serverShare[i], rao);
            out.validatorEmission[i] = shareOf(validatorShare[i], rao);
            out.emission[i] = shareOf(combinedShare[i], rao);
            out.stakeWeight[i] = proportionToU16(t.stake[i]);
            out.consensus[i] = proportionToU16(t.consensus[i]);
            out.incentive[i] = proportionToU16(t.incentive[i]);
            out.dividends[i] = proportionToU16(t.dividends[i]);
            out.validatorTrust[i] = proportionToU16(t.validatorTrust[i]);
            if (t.newPermits[i]) {
                uint256[] memory c = emaBonds.cols[i];
                int256[] memory v = emaBonds.vals[i];
                uint16[] memory uids = new uint16[](c.length);
                uint16[] memory values = new uint16[](c.length);
                for (uint256 k = 0; k < c.length; k++) {
                    uids[k] = uint16(c[k]);
                    values[k] = proportionToU16(v[k]);
                }
                out.bondUids[i] = uids;
                out.bondValues[i] = values;
            } else if (!t.permits[i]) {
                out.bondUids[i] = s.bondUids[i];
                out.bondValues[i] = s.bondValues[i];
            }
        }
    }

    // ---- consensus -----------------------------------------------------------------------------

    /// weighted_median_col_sparse: per column, the stake-weighted median over the rows with positive stake.
    function weightedMedianColumns(int256[] memory stake, Matrix memory score, uint256 columns, int256 majority)
        private
        pure
        returns (int256[] memory median)
    {
        median = new int256[](columns);
        uint256 voters;
        for (uint256 i = 0; i < stake.length; i++) {
            if (stake[i] > 0) voters++;
        }
        if (voters == 0) return median;
        int256[] memory useStake = new int256[](voters);
        uint256 k;
        for (uint256 i = 0; i < stake.length; i++) {
            if (stake[i] > 0) useStake[k++] = stake[i];
        }
        normalize(useStake);
        int256 stakeSum = sumWrapping(useStake);
        int256 minority = sub(stakeSum, majority);

        // column-major, so each column's scores are contiguous for the quickselect
        int256[] memory scores = new int256[](columns * voters);
        k = 0;
        for (uint256 i = 0; i < stake.length; i++) {
            if (stake[i] <= 0) continue;
            uint256[] memory c = score.cols[i];
            int256[] memory v = score.vals[i];
            for (uint256 e = 0; e < c.length; e++) {
                if (c[e] < columns) scores[c[e] * voters + k] = v[e];
            }
            k++;
        }
        Scratch memory scratch = Scratch(new uint256[](voters), new uint256[](voters), new uint256[](voters));
        for (uint256 c = 0; c < columns; c++) {
            median[c] = weightedMedian(useStake, scores, c * voters, voters, minority, stakeSum, scratch);
        }
    }

    struct Scratch {
        uint256[] partition;
        uint256[] lower;
        uint256[] upper;
    }

    /// weighted_median: subtensor's deterministic mid-pivot quickselect over the stake integral.
    function weightedMedian(
        int256[] memory stake,
        int256[] memory score,
        uint256 offset,
        uint256 count,
        int256 minority,
        int256 hi,
        Scratch memory scratch
    ) private pure returns (int256) {
        uint256[] memory partition = scratch.partition;
        uint256[] memory lower = scratch.lower;
        uint256[] memory upper = scratch.upper;
        for (uint256 t = 0; t < count; t++) {
            partition[t] = t;
        }
        uint256 size = count;
        uint256 iterations;
        int256 lo;
        while (true) {
            if (size == 0) return 0;
            if (size == 1) return score[offset + partition[0]];
            int256 pivot = score[offset + partition[size / 2]];
            int256 loStake;
            int256 hiStake;
            uint256 nLower;
            uint256 nUpper;
            for (uint256 t = 0; t < size; t++) {
                uint256 idx = partition[t];
                int256 sc = score[offset + idx];
                if (sc == pivot) continue;
                if (sc < pivot) {
                    loStake = add(loStake, stake[idx]);
                    lower[nLower++] = idx;
                } else {
                    hiStake = add(hiStake, stake[idx]);
                    upper[nUpper++] = idx;
                }
            }
            int256 loEdge = add(lo, loStake);
            int256 hiEdge = sub(hi, hiStake);
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
            if (iterations > count) return 0;
        }
        return 0;
    }

    // ---- sparse matrix operations --------------------------------------------------------------

    /// col_clip_sparse: entries above consensus are cut to it, or dropped where consensus is 0.
    function clip(Matrix memory w, int256[] memory consensus) private pure returns (Matrix memory out) {
        uint256 rows = w.cols.length;
        out = emptyMatrix(rows);
        for (uint256 i = 0; i < rows; i++) {
            uint256[] memory c = w.cols[i];
            int256[] memory v = w.vals[i];
            uint256[] memory oc = new uint256[](c.length);
            int256[] memory ov = new int256[](c.length);
            uint256 at;
            for (uint256 k = 0; k < c.length; k++) {
                int256 threshold = consensus[c[k]];
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
            out.cols[i] = shrink(oc, at);
            out.vals[i] = shrinkSigned(ov, at);
        }
    }

    /// matmul_sparse: r_j = sum_i s_i * m_ij, saturating.
    function matmul(Matrix memory m, int256[] memory vector, uint256 columns) private pure returns (int256[] memory r) {
        r = new int256[](columns);
        for (uint256 i = 0; i < m.cols.length; i++) {
            int256 scale = vector[i];
            uint256[] memory c = m.cols[i];
            int256[] memory v = m.vals[i];
            for (uint256 k = 0; k < c.length; k++) {
                r[c[k]] = add(r[c[k]], mul(scale, v[k]));
            }
        }
    }

    /// interpolate_sparse: W + ratio * (C - W) per row over dense rows, positives kept; the ends return a side as is.
    function interpolate(Matrix memory w, Matrix memory clipped, uint256 columns, int256 ratio)
        private
        pure
        returns (Matrix memory out)
    {
        if (ratio == 0) return w;
        if (ratio == ONE) return clipped;
        uint256 rows = w.cols.length;
        out = emptyMatrix(rows);
        int256[] memory row1 = new int256[](columns);
        int256[] memory row2 = new int256[](columns);
        for (uint256 i = 0; i < rows; i++) {
            if (w.cols[i].length == 0 && clipped.cols[i].length == 0) continue;
            for (uint256 j = 0; j < columns; j++) {
                row1[j] = 0;
                row2[j] = 0;
            }
            scatter(w.cols[i], w.vals[i], row1);
            scatter(clipped.cols[i], clipped.vals[i], row2);
            uint256[] memory oc = new uint256[](columns);
            int256[] memory ov = new int256[](columns);
            uint256 at;
            for (uint256 j = 0; j < columns; j++) {
                int256 v = add(row1[j], mul(ratio, sub(row2[j], row1[j])));
                if (v > 0) {
                    oc[at] = j;
                    ov[at++] = v;
                }
            }
            out.cols[i] = shrink(oc, at);
            out.vals[i] = shrinkSigned(ov, at);
        }
    }

    function scatter(uint256[] memory c, int256[] memory v, int256[] memory dense) private pure {
        for (uint256 k = 0; k < c.length; k++) {
            if (c[k] < dense.length) dense[c[k]] = v[k];
        }
    }

    /// mat_ema_sparse: alpha * new + (1 - alpha) * old, over dense rows, positives kept in column order.
    function ema(Matrix memory fresh, Matrix memory old, int256 alpha, uint256 n) private pure returns (Matrix memory out) {
        uint256 rows = fresh.cols.length;
        out = emptyMatrix(rows);
        int256 oneMinusAlpha = sub(ONE, alpha);
        int256[] memory acc = new int256[](n);
        for (uint256 i = 0; i < rows; i++) {
            uint256[] memory fc = fresh.cols[i];
            uint256[] memory pc = old.cols[i];
            if (fc.length == 0 && pc.length == 0) continue;
            for (uint256 j = 0; j < n; j++) {
                acc[j] = 0;
            }
            int256[] memory fv = fresh.vals[i];
            for (uint256 k = 0; k < fc.length; k++) {
                if (fc[k] < n) acc[fc[k]] = add(acc[fc[k]], mul(alpha, fv[k]));
            }
            int256[] memory pv = old.vals[i];
            for (uint256 k = 0; k < pc.length; k++) {
                if (pc[k] < n) acc[pc[k]] = add(acc[pc[k]], mul(oneMinusAlpha, pv[k]));
            }
            uint256 count;
            for (uint256 j = 0; j < n; j++) {
                if (acc[j] > 0) count++;
            }
            uint256[] memory oc = new uint256[](count);
            int256[] memory ov = new int256[](count);
            uint256 at;
            for (uint256 j = 0; j < n; j++) {
                if (acc[j] > 0) {
                    oc[at] = j;
                    ov[at++] = acc[j];
                }
            }
            out.cols[i] = oc;
            out.vals[i] = ov;
        }
    }

    /// Yuma3's liquid alpha (alpha_sigmoid, mat_ema_alpha_sparse): per-(i, j) EMA rates, computed
    /// only at the columns of each new row, from the same sorted-merge walk subtensor does.
    function liquidAlphaEma(Params memory p, Matrix memory weights, Matrix memory bonds, int256[] memory consensus)
        private
        pure
        returns (Matrix memory out)
    {
        uint256 n = consensus.length;
        Sigmoid memory sg = Sigmoid(
            safeDiv(int256(uint256(p.alphaLow)) << 32, U16_MAX),
            safeDiv(int256(uint256(p.alphaHigh)) << 32, U16_MAX),
            saturatingDiv(int256(p.alphaSigmoidSteepness) << 32, MINUS_HUNDRED)
        );
        out = emptyMatrix(weights.cols.length);
        int256[] memory walkedWeight = new int256[](n);
        int256[] memory walkedBond = new int256[](n);
        int256[] memory oldBond = new int256[](n);
        uint256[] memory oldStamp = new uint256[](n);
        for (uint256 i = 0; i < weights.cols.length; i++) {
            uint256[] memory wc = weights.cols[i];
            if (wc.length == 0) continue;
            int256[] memory wv = weights.vals[i];
            uint256[] memory bc = bonds.cols[i];
            int256[] memory bv = bonds.vals[i];
            walk(wc, wv, walkedWeight);
            walk(bc, bv, walkedBond);
            for (uint256 k = 0; k < bc.length; k++) {
                if (bc[k] < n) {
                    oldBond[bc[k]] = bv[k];
                    oldStamp[bc[k]] = i + 1;
                }
            }
            uint256[] memory oc = new uint256[](wc.length);
            int256[] memory ov = new int256[](wc.length);
            uint256 at;
            for (uint256 k = 0; k < wc.length; k++) {
                uint256 j = wc[k];
                if (j >= n) continue;
                int256 a = alphaSigmoid(consensus[j], walkedWeight[j], walkedBond[j], sg);
                int256 decayed = oldStamp[j] == i + 1 ? mul(sub(ONE, a), oldBond[j]) : int256(0);
                int256 increment = mul(a, wv[k]);
                if (increment < 0) increment = 0;
                int256 value = add(decayed, increment);
                if (value > ONE) value = ONE;
                if (value > 0) {
                    oc[at] = j;
                    ov[at++] = value;
                }
            }
            out.cols[i] = shrink(oc, at);
            out.vals[i] = shrinkSigned(ov, at);
        }
    }

    struct Sigmoid {
        int256 low;
        int256 high;
        int256 slope;
    }

    /// What compute_liquid_alpha_values_sparse's peeking walk reads at each column j of a row.
    function walk(uint256[] memory cols, int256[] memory vals, int256[] memory dense) private pure {
        uint256 q;
        for (uint256 j = 0; j < dense.length; j++) {
            while (q < cols.length && cols[q] < j) q++;
            dense[j] = q < cols.length && cols[q] == j ? vals[q] : int256(0);
        }
    }

    /// alpha_sigmoid.
    function alphaSigmoid(int256 consensus, int256 weight, int256 bond, Sigmoid memory sg) private pure returns (int256) {
        int256 diffBuy = clamp(sub(weight, consensus), 0, ONE);
        int256 diffSell = clamp(sub(bond, weight), 0, ONE);
        int256 combined = weight >= bond ? diffBuy : diffSell;
        int256 exponent = mul(sg.slope, sub(combined, HALF));
        int256 sigmoid = saturatingDiv(ONE, add(ONE, expSafe(exponent)));
        int256 alpha = add(sg.low, mul(sigmoid, sub(sg.high, sg.low)));
        return clamp(alpha, sg.low, sg.high);
    }

    function clamp(int256 value, int256 low, int256 high) private pure returns (int256) {
        int256 capped = value < high ? value : high;
        return capped > low ? capped : low;
    }

    /// inplace_row_normalize_sparse: each row divided by its (wrapping) sum when that is positive.
    function rowNormalize(Matrix memory m) private pure {
        for (uint256 i = 0; i < m.vals.length; i++) {
            int256[] memory v = m.vals[i];
            int256 total = sumWrapping(v);
            if (total > 0) {
                for (uint256 k = 0; k < v.length; k++) {
                    v[k] = safeDiv(v[k], total);
                }
            }
        }
    }

    /// inplace_col_normalize_sparse: each column divided by its sum where that is not 0.
    function colNormalize(Matrix memory m, uint256 columns) private pure {
        int256[] memory colSum = columnSums(m, columns);
        for (uint256 i = 0; i < m.cols.length; i++) {
            uint256[] memory c = m.cols[i];
            int256[] memory v = m.vals[i];
            for (uint256 k = 0; k < c.length; k++) {
                if (c[k] < columns && colSum[c[k]] != 0) v[k] = safeDiv(v[k], colSum[c[k]]);
            }
        }
    }

    /// Saturating column sums over the columns below `columns`.
    function columnSums(Matrix memory m, uint256 columns) private pure returns (int256[] memory colSum) {
        colSum = new int256[](columns);
        for (uint256 i = 0; i < m.cols.length; i++) {
            uint256[] memory c = m.cols[i];
            int256[] memory v = m.vals[i];
            for (uint256 k = 0; k < c.length; k++) {
                if (c[k] < columns) colSum[c[k]] = add(colSum[c[k]], v[k]);
            }
        }
    }

    /// inplace_col_max_upscale_sparse: each column divided by its maximum.
    function colMaxUpscale(Matrix memory m, uint256 columns) private pure {
        int256[] memory colMax = new int256[](columns);
        for (uint256 i = 0; i < m.cols.length; i++) {
            uint256[] memory c = m.cols[i];
            int256[] memory v = m.vals[i];
            for (uint256 k = 0; k < c.length; k++) {
                if (c[k] < columns && colMax[c[k]] < v[k]) colMax[c[k]] = v[k];
            }
        }
        for (uint256 i = 0; i < m.cols.length; i++) {
            uint256[] memory c = m.cols[i];
            int256[] memory v = m.vals[i];
            for (uint256 k = 0; k < c.length; k++) {
                if (c[k] < columns && colMax[c[k]] != 0) v[k] = safeDiv(v[k], colMax[c[k]]);
            }
        }
    }

    function emptyMatrix(uint256 rows) private pure returns (Matrix memory m) {
        m.cols = new uint256[][](rows);
        m.vals = new int256[][](rows);
    }

    // ---- vectors ------------------------------------------------------------------------------

    /// inplace_normalize: divide by the (wrapping) sum unless it is zero.
    function normalize(int256[] memory x) private pure {
        int256 total = sumWrapping(x);
        if (total == 0) return;
        for (uint256 i = 0; i < x.length; i++) {
            x[i] = safeDiv(x[i], total);
        }
    }

    /// Rust's unchecked iter().sum() over i64 bits, which wraps in a release runtime.
    function sumWrapping(int256[] memory x) private pure returns (int256 total) {
        for (uint256 i = 0; i < x.length; i++) {
            total += x[i];
        }
        return wrap(total);
    }

    function anyNonZero(int256[] memory x) private pure returns (bool) {
        for (uint256 i = 0; i < x.length; i++) {
            if (x[i] != 0) return true;
        }
        return false;
    }

    /// Cuts an array to its first `length` entries in place; the tail's memory is simply left behind.
    function shrink(uint256[] memory a, uint256 length) private pure returns (uint256[] memory) {
        assembly ("memory-safe") {
            mstore(a, length)
        }
        return a;
    }

    function shrinkSigned(int256[] memory a, uint256 length) private pure returns (int256[] memory) {
        assembly ("memory-safe") {
            mstore(a, length)
        }
        return a;
    }

    function requireLength(string memory field, uint256 expected, uint256 given) private pure {
        if (expected != given) revert InputLength(field, expected, given);
    }

    // ---- I32F32 ---------------------------------------------------------------------------------

    // Operands are always within the int64 range, so no int256 intermediate below can overflow:
    // the arithmetic is unchecked (in assembly where Solidity would add checks) and the int64
    // range is enforced explicitly.

    function wrap(int256 x) private pure returns (int256 r) {
        assembly ("memory-safe") {
            r := signextend(7, x)
        }
    }

    function saturate(int256 x) private pure returns (int256) {
        return x > MAX ? MAX : (x < MIN ? MIN : x);
    }

    function add(int256 a, int256 b) private pure returns (int256) {
        unchecked {
            return saturate(a + b);
        }
    }

    function sub(int256 a, int256 b) private pure returns (int256) {
        unchecked {
            return saturate(a - b);
        }
    }

    /// floor(a * b / 2^32): the wide product, arithmetically shifted.
    function mulWide(int256 a, int256 b) private pure returns (int256 r) {
        assembly ("memory-safe") {
            r := sar(32, mul(a, b))
        }
    }

    /// saturating_mul: floor(a * b / 2^32), clamped.
    function mul(int256 a, int256 b) private pure returns (int256) {
        return saturate(mulWide(a, b));
    }

    /// checked_mul(..).unwrap_or_default(): 0 on overflow.
    function mulOrZero(int256 a, int256 b) private pure returns (int256) {
        int256 r = mulWide(a, b);
        return r > MAX || r < MIN ? int256(0) : r;
    }

    /// (a << 32) / b truncated toward zero; b must not be 0.
    function divWide(int256 a, int256 b) private pure returns (int256 q) {
        assembly ("memory-safe") {
            q := sdiv(shl(32, a), b)
        }
    }

    /// safe_div: (a << 32) / b truncated toward zero; 0 when b is 0 or the quotient overflows.
    function safeDiv(int256 a, int256 b) private pure returns (int256) {
        if (b == 0) return 0;
        int256 q = divWide(a, b);
        return q > MAX || q < MIN ? int256(0) : q;
    }

    /// saturating_div; callers never divide by zero.
    function saturatingDiv(int256 a, int256 b) private pure returns (int256) {
        return saturate(divWide(a, b));
    }

    /// movingAverage: the bonds moving average as I64F64 bma / 1e6 narrowed (floor, saturating) to I32F32.
    function movingAverage(uint64 bma) private pure returns (int256) {
        uint256 whole = bma / 1_000_000;
        if (whole > uint256(uint32(type(int32).max))) return MAX;
        uint256 rest = bma % 1_000_000;
        return int256((whole << 32) + (rest << 32) / 1_000_000);
    }

    /// fixed_proportion_to_u16: floor(x * 65535) clamped to u16.
    function proportionToU16(int256 x) private pure returns (uint16) {
        int256 m = mul(x, U16_MAX);
        if (m < 0) return 0;
        int256 integer = m >> 32;
        return integer > 65_535 ? 65_535 : uint16(uint256(integer));
    }

    /// (I96F32(share) * I96F32(rao)).saturating_to_num::<u64>().
    function shareOf(int256 share, uint256 rao) private pure returns (uint64) {
        if (share <= 0 || rao == 0) return 0;
        uint256 units = (uint256(share) * rao) >> 32;
        return units > U64_MAX ? type(uint64).max : uint64(units);
    }

    /// exp_safe: the input clamped to [-20, 20]; overflow maps to 0 (x <= 0) or MAX.
    function expSafe(int256 x) private pure returns (int256) {
        int256 clamped = clamp(x, -EXP_BOUND, EXP_BOUND);
        (bool ok, int256 value) = exp(clamped);
        if (ok) return value;
        return clamped <= 0 ? int256(0) : MAX;
    }

    /// substrate-fixed transcendental::exp: a 30-term Taylor series in I32F32; ok is false on any overflow.
    function exp(int256 x) private pure returns (bool ok, int256 value) {
        if (x == 0) return (true, ONE);
        if (x == ONE) return (true, E_I9F23);
        bool negative = x < 0;
        if (negative) {
            if (x == MIN) return (false, 0);
            x = -x;
        }
        unchecked {
            int256 result = x + ONE;
            if (result > MAX) return (false, 0);
            int256 term = x;
            for (int256 i = 2; i < 32; i++) {
                term = mulWide(term, x);
                if (term > MAX) return (false, 0);
                term = term / i;
                result += term;
                if (result > MAX) return (false, 0);
            }
            if (!negative) return (true, result);
            int256 q = divWide(ONE, result);
            if (q > MAX) return (false, 0);
            return (true, q);
        }
    }
}
