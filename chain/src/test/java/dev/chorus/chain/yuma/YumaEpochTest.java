package dev.chorus.chain.yuma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Epoch rules the subtensor scenarios do not reach: the owner's exemptions, the stake threshold, top-k permits, the commit-reveal mask. */
class YumaEpochTest {

    private static SubnetScenario twoValidatorsOneMiner() {
        SubnetScenario net = new SubnetScenario(100, 360);
        net.register(600);
        net.register(400);
        net.register(0);
        net.permit.set(0, true);
        net.permit.set(1, true);
        net.nextBlock();
        return net;
    }

    @Test
    void ownerKeepsItsSelfWeightOthersLoseTheirs() {
        SubnetScenario net = twoValidatorsOneMiner();
        net.setWeights(0, new int[] {0}, new int[] {65535});
        net.setWeights(1, new int[] {1}, new int[] {65535});
        YumaOutput plain = YumaEpoch.run(net.input(1_000));
        assertThat(plain.incentive()).containsOnly(0);

        net.ownerUid = OptionalInt.of(0);
        YumaOutput owned = YumaEpoch.run(net.input(1_000));
        // only the owner's self-weight survives: it is the sole miner with incentive
        assertThat(owned.incentive()).containsExactly(65535, 0, 0);
        assertThat(owned.serverEmission()[0]).isEqualTo(500L);
    }

    @Test
    void stakeBelowTheThresholdCountsForNothingExceptTheOwners() {
        SubnetScenario net = twoValidatorsOneMiner();
        net.minStake = 500;
        YumaOutput filtered = YumaEpoch.run(net.input(1_000));
        assertThat(filtered.stakeWeight()).containsExactly(65535, 0, 0);
        assertThat(filtered.validatorPermit()).containsExactly(true, false, false);

        net.ownerUid = OptionalInt.of(1);
        YumaOutput owned = YumaEpoch.run(net.input(1_000));
        // 0.6 and 0.4 floor to just under themselves in I32F32, so the u16 terms land one below 39321 and 26214
        assertThat(owned.stakeWeight()).containsExactly(39320, 26213, 0);
        assertThat(owned.validatorPermit()).containsExactly(true, true, false);
    }

    @Test
    void aPendingCommitOlderThanARegistrationDropsTheWeightOnThatUid() {
        SubnetScenario net = twoValidatorsOneMiner();
        net.commitBlock.set(0, net.block);
        net.runToBlock(net.block + 5);
        net.replace(2, 0);
        long replacedAt = net.block;
        net.nextBlock();
        // both validators reveal weights on the new hotkey after it registered: the outdated mask keeps them
        net.setWeights(0, new int[] {2}, new int[] {65535});
        net.setWeights(1, new int[] {2}, new int[] {65535});

        YumaOutput masked = YumaEpoch.run(net.input(1_000));
        // the 60 % validator's commit predates the registration, so only 40 % of the stake backs uid 2: under kappa
        assertThat(masked.consensus()[2]).isZero();
        assertThat(masked.incentive()).containsOnly(0);

        net.commitBlock.set(0, replacedAt);
        assertThat(YumaEpoch.run(net.input(1_000)).incentive()).as("a commit in the registration block is not older")
                .containsExactly(0, 0, 65535);
        net.commitBlock.set(0, YumaInput.NO_COMMIT);
        assertThat(YumaEpoch.run(net.input(1_000)).incentive()).containsExactly(0, 0, 65535);
    }

    @Test
    void permitsGoToTheLargestNonZeroStakes() {
        SubnetScenario net = new SubnetScenario(10, 360);
        for (long stake : new long[] {5, 9, 0, 9, 1}) {
            net.register(stake);
        }
        net.maxAllowedValidators = 2;
        // ties keep uid order in the ascending sort, so of the two 9s the later uid ranks higher
        assertThat(YumaEpoch.run(net.input(0)).validatorPermit()).containsExactly(false, true, false, true, false);
        net.maxAllowedValidators = 3;
        assertThat(YumaEpoch.run(net.input(0)).validatorPermit()).containsExactly(true, true, false, true, false);
        net.maxAllowedValidators = 6;
        assertThat(YumaEpoch.run(net.input(0)).validatorPermit()).containsExactly(true, true, false, true, true);
    }

    @Test
    void anEmptySubnetHasAnEmptyEpoch() {
        YumaInput empty = new YumaInput(0, 1, 360, 5000, 0, 1_000, 32767, 65535, 900_000, 64, 0, OptionalInt.empty(),
                true, true, 45875, 58982, 1000, new long[0], new boolean[0], new long[0], new long[0], List.of(),
                List.of());
        YumaOutput out = YumaEpoch.run(empty);
        assertThat(out.emission()).isEmpty();
        assertThat(out.bonds()).isEmpty();
    }
}
