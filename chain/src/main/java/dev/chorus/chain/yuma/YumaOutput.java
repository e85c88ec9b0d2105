package dev.chorus.chain.yuma;

import java.util.Arrays;
import java.util.List;

/**
 * What one epoch produces, per uid: the u16 terms are subtensor's stored
 * {@code fixed_proportion_to_u16} values (65535 = 1.0); emissions are u64 base units held in longs
 * (read them unsigned). {@code validatorPermit} and {@code bonds} are the values stored for the
 * next epoch (spec §3.13).
 */
public record YumaOutput(
        boolean[] active,
        boolean[] validatorPermit,
        int[] stakeWeight,
        int[] consensus,
        int[] incentive,
        int[] dividends,
        int[] validatorTrust,
        long[] emission,
        long[] serverEmission,
        long[] validatorEmission,
        List<SparseRow> bonds) {

    public YumaOutput {
        bonds = List.copyOf(bonds);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof YumaOutput o && Arrays.equals(active, o.active)
                && Arrays.equals(validatorPermit, o.validatorPermit) && Arrays.equals(stakeWeight, o.stakeWeight)
                && Arrays.equals(consensus, o.consensus) && Arrays.equals(incentive, o.incentive)
                && Arrays.equals(dividends, o.dividends) && Arrays.equals(validatorTrust, o.validatorTrust)
                && Arrays.equals(emission, o.emission) && Arrays.equals(serverEmission, o.serverEmission)
                && Arrays.equals(validatorEmission, o.validatorEmission) && bonds.equals(o.bonds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(emission) + Arrays.hashCode(dividends)) + bonds.hashCode();
    }

    @Override
    public String toString() {
        return "YumaOutput[active=" + Arrays.toString(active) + ", validatorPermit=" + Arrays.toString(validatorPermit)
                + ", stakeWeight=" + Arrays.toString(stakeWeight) + ", consensus=" + Arrays.toString(consensus)
                + ", incentive=" + Arrays.toString(incentive) + ", dividends=" + Arrays.toString(dividends)
                + ", validatorTrust=" + Arrays.toString(validatorTrust) + ", emission=" + Arrays.toString(emission)
                + ", serverEmission=" + Arrays.toString(serverEmission)
                + ", validatorEmission=" + Arrays.toString(validatorEmission) + ", bonds=" + bonds + "]";
    }
}
