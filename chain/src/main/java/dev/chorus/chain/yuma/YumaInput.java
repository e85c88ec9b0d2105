package dev.chorus.chain.yuma;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * One subnet's state as the epoch reads it (subtensor's storage items, spec §2). Integers keep the
 * chain's types: u16 fields are ints in 0..65535; u64 fields are longs read as unsigned (block
 * numbers, emission, the moving average, the stake threshold). {@code stake} holds each uid's total
 * stake as a whole number of base units; the chain's I64F64 normalization needs their sum to stay
 * below 2^63. Every per-uid array and list has exactly {@code n} entries.
 *
 * <p>{@code commitBlock[i]} is where commit-reveal enters the epoch (spec §3.5): the block of uid
 * i's oldest weight commit that is neither revealed nor expired at this epoch's block, or
 * {@link #NO_COMMIT} when it has none or the subnet has commit-reveal off. The epoch drops i's weight
 * on every uid that registered after that block, because the weights i reveals next were chosen
 * before that uid's current hotkey was there.
 *
 * <p>Validation failures name the field as it is spelled in the JSON schema.
 */
public record YumaInput(
        int n,
        long block,
        int tempo,
        long activityCutoff,
        long lastMechanismStepBlock,
        long raoEmission,
        int kappa,
        int bondsPenalty,
        long bondsMovingAverage,
        int maxAllowedValidators,
        long minStake,
        OptionalInt ownerUid,
        boolean yuma3,
        boolean liquidAlpha,
        int alphaLow,
        int alphaHigh,
        int alphaSigmoidSteepness,
        long[] stake,
        boolean[] validatorPermit,
        long[] lastUpdate,
        long[] blockAtRegistration,
        long[] commitBlock,
        List<SparseRow> weights,
        List<SparseRow> bonds) {

    /** u64::MAX: the uid has no pending weight commit, so commit-reveal masks none of its weights. */
    public static final long NO_COMMIT = -1L;

    public YumaInput {
        requireU16("n", n);
        requireU16("tempo", tempo);
        requireU16("kappa", kappa);
        requireU16("bonds_penalty", bondsPenalty);
        requireU16("max_allowed_validators", maxAllowedValidators);
        requireU16("alpha_low", alphaLow);
        requireU16("alpha_high", alphaHigh);
        if (alphaSigmoidSteepness < Short.MIN_VALUE || alphaSigmoidSteepness > Short.MAX_VALUE) {
            throw new IllegalArgumentException("alpha_sigmoid_steepness: must be an i16 (-32768..32767), got "
                    + alphaSigmoidSteepness);
        }
        if (ownerUid == null) {
            ownerUid = OptionalInt.empty();
        }
        ownerUid.ifPresent(uid -> requireU16("owner_uid", uid));
        requireLength("stake", stake == null ? -1 : stake.length, n);
        requireLength("validator_permit", validatorPermit == null ? -1 : validatorPermit.length, n);
        requireLength("last_update", lastUpdate == null ? -1 : lastUpdate.length, n);
        requireLength("block_at_registration", blockAtRegistration == null ? -1 : blockAtRegistration.length, n);
        requireLength("commit_block", commitBlock == null ? -1 : commitBlock.length, n);
        requireLength("weights", weights == null ? -1 : weights.size(), n);
        requireLength("bonds", bonds == null ? -1 : bonds.size(), n);
        long total = 0;
        for (int i = 0; i < n; i++) {
            if (stake[i] < 0) {
                throw new IllegalArgumentException("stake[" + i + "]: must be at most 2^63-1 (the I64F64 integer range), got "
                        + Long.toUnsignedString(stake[i]));
            }
            total += stake[i];
            if (total < 0) {
                throw new IllegalArgumentException("stake: the total over all uids must stay below 2^63"
                        + " (the chain sums stakes in I64F64); scale the stakes down");
            }
        }
        weights = List.copyOf(weights);
        bonds = List.copyOf(bonds);
        requireRows("weights", weights);
        requireRows("bonds", bonds);
    }

    /** A subnet where no uid has a pending weight commit, as on every subnet with commit-reveal off. */
    public YumaInput(int n, long block, int tempo, long activityCutoff, long lastMechanismStepBlock, long raoEmission,
            int kappa, int bondsPenalty, long bondsMovingAverage, int maxAllowedValidators, long minStake,
            OptionalInt ownerUid, boolean yuma3, boolean liquidAlpha, int alphaLow, int alphaHigh,
            int alphaSigmoidSteepness, long[] stake, boolean[] validatorPermit, long[] lastUpdate,
            long[] blockAtRegistration, List<SparseRow> weights, List<SparseRow> bonds) {
        this(n, block, tempo, activityCutoff, lastMechanismStepBlock, raoEmission, kappa, bondsPenalty,
                bondsMovingAverage, maxAllowedValidators, minStake, ownerUid, yuma3, liquidAlpha, alphaLow, alphaHigh,
                alphaSigmoidSteepness, stake, validatorPermit, lastUpdate, blockAtRegistration, noCommits(n), weights,
                bonds);
    }

    /** {@link #NO_COMMIT} for each of {@code n} uids; a negative n gives an empty array, for the constructor to refuse by name. */
    public static long[] noCommits(int n) {
        long[] none = new long[Math.max(n, 0)];
        Arrays.fill(none, NO_COMMIT);
        return none;
    }

    /**
     * The same subnet after an epoch: the stored permits and bonds carried into the next one. Everything else, the
     * pending commits included, is as it was; a caller whose commits expire or are revealed meanwhile builds its own.
     */
    public YumaInput next(YumaOutput output, long nextBlock, long lastStepBlock) {
        return new YumaInput(n, nextBlock, tempo, activityCutoff, lastStepBlock, raoEmission, kappa, bondsPenalty,
                bondsMovingAverage, maxAllowedValidators, minStake, ownerUid, yuma3, liquidAlpha, alphaLow, alphaHigh,
                alphaSigmoidSteepness, stake, output.validatorPermit(), lastUpdate, blockAtRegistration, commitBlock,
                weights, output.bonds());
    }

    private static void requireU16(String field, int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException(field + ": must be a u16 (0..65535), got " + value);
        }
    }

    private static void requireLength(String field, int length, int n) {
        if (length < 0) {
            throw new IllegalArgumentException(field + ": missing; give one entry per uid (n = " + n + ")");
        }
        if (length != n) {
            throw new IllegalArgumentException(field + ": needs one entry per uid (n = " + n + "), got " + length);
        }
    }

    private static void requireRows(String field, List<SparseRow> rows) {
        for (int i = 0; i < rows.size(); i++) {
            SparseRow row = rows.get(i);
            for (int k = 0; k < row.size(); k++) {
                if (row.uids()[k] < 0 || row.uids()[k] > 65535) {
                    throw new IllegalArgumentException(field + "[" + i + "][" + k + "]: uid must be a u16, got " + row.uids()[k]);
                }
                if (row.values()[k] < 0 || row.values()[k] > 65535) {
                    throw new IllegalArgumentException(field + "[" + i + "][" + k + "]: value must be a u16, got " + row.values()[k]);
                }
            }
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof YumaInput o && n == o.n && block == o.block && tempo == o.tempo
                && activityCutoff == o.activityCutoff && lastMechanismStepBlock == o.lastMechanismStepBlock
                && raoEmission == o.raoEmission && kappa == o.kappa && bondsPenalty == o.bondsPenalty
                && bondsMovingAverage == o.bondsMovingAverage && maxAllowedValidators == o.maxAllowedValidators
                && minStake == o.minStake && ownerUid.equals(o.ownerUid) && yuma3 == o.yuma3
                && liquidAlpha == o.liquidAlpha && alphaLow == o.alphaLow && alphaHigh == o.alphaHigh
                && alphaSigmoidSteepness == o.alphaSigmoidSteepness && Arrays.equals(stake, o.stake)
                && Arrays.equals(validatorPermit, o.validatorPermit) && Arrays.equals(lastUpdate, o.lastUpdate)
                && Arrays.equals(blockAtRegistration, o.blockAtRegistration) && Arrays.equals(commitBlock, o.commitBlock)
                && weights.equals(o.weights)
                && bonds.equals(o.bonds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(block) + Arrays.hashCode(stake)) + weights.hashCode();
    }

    @Override
    public String toString() {
        return "YumaInput[n=" + n + ", block=" + Long.toUnsignedString(block) + ", yuma3=" + yuma3
                + ", liquidAlpha=" + liquidAlpha + ", stake=" + Arrays.toString(stake) + ", weights=" + weights
                + ", bonds=" + bonds + "]";
    }
}
