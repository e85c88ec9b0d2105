package dev.chorus.chain.yuma;

import static dev.chorus.chain.yuma.SubnetScenario.range;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * subtensor's classic-Yuma epoch tests ({@code tests/epoch.rs}: test_10_graph, test_bonds,
 * test_zero_weights, test_active_stake, test_outdated_weights) replayed as the same multi-epoch
 * scenarios; every value is one the Rust test asserts exactly.
 */
class ClassicYumaTest {

    private static final long RAO = 1_000_000_000L;
    private static final int MAX = 65535;

    @Test
    void tenSelfWeightingNeuronsFallBackToStakeEmission() {
        SubnetScenario net = new SubnetScenario(1, MAX - 1);
        for (int i = 0; i < 10; i++) {
            net.register(1);
        }
        for (int i = 0; i < 10; i++) {
            net.registeredAt.set(i, 0L);
            net.lastUpdate.set(i, 0L);
        }
        for (int i = 0; i < 10; i++) {
            net.setWeights(i, new int[] {i}, new int[] {MAX});
        }
        YumaOutput out = net.epoch(RAO);
        for (int i = 0; i < 10; i++) {
            assertThat(out.consensus()[i]).isZero();
            assertThat(out.incentive()[i]).isZero();
            assertThat(out.dividends()[i]).isZero();
            assertThat(out.emission()[i]).isEqualTo(99_999_999L);
        }
    }

    @Test
    void bondsFollowValidatorsThroughSevenEpochs() {
        SubnetScenario net = new SubnetScenario(1, 1);
        long[] stakes = {1, 2, 3, 4, 0, 0, 0, 0};
        for (long s : stakes) {
            net.register(s);
        }
        net.maxAllowedValidators = 8;
        net.epoch(RAO);
        net.nextBlock();
        for (int uid = 0; uid < 4; uid++) {
            net.setWeights(uid, range(4, 8), new int[] {MAX / 4, MAX / 2, (MAX / 4) * 3, MAX});
        }
        net.epoch(RAO);
        assertBonds(net, 4, 16383, 32767, 49151, 65535);

        net.setWeights(0, new int[] {0}, new int[] {MAX});
        net.nextBlock();
        net.epoch(RAO);
        assertBonds(net, 4, 14582, 32767, 49151, 65535);

        net.setWeights(1, new int[] {1}, new int[] {MAX});
        net.nextBlock();
        net.epoch(RAO);
        assertBonds(net, 4, 12603, 28321, 49151, 65535);

        net.setWeights(2, new int[] {2}, new int[] {MAX});
        net.nextBlock();
        net.epoch(RAO);
        assertBonds(net, 7, 12602, 28320, 49150, 65535);

        net.setWeights(2, new int[] {7}, new int[] {MAX});
        net.nextBlock();
        net.epoch(RAO);
        assertBonds(net, 7, 10951, 24609, 49150, 65535);

        net.nextBlock();
        net.epoch(RAO);
        assertBonds(net, 7, 9559, 21482, 49150, 65535);

        net.nextBlock();
        net.epoch(RAO);
        assertBonds(net, 7, 8376, 18824, 49150, 65535);
    }

    @Test
    void zeroWeightsFallBackToStakeUntilValidatorsWeightRegisteredMiners() {
        SubnetScenario net = new SubnetScenario(1, MAX - 1);
        net.register(0);
        net.register(0);
        net.stake.set(0, 1L);

        YumaOutput out = net.epoch(RAO);
        assertThat(out.emission()).containsExactly(1_000_000_000L, 0L);

        net.runToBlock(1);
        net.setWeights(1, new int[] {1}, new int[] {MAX});
        out = net.epoch(RAO);
        assertThat(out.emission()).containsExactly(1_000_000_000L, 0L);

        net.runToBlock(2);
        net.setWeights(0, new int[] {1}, new int[] {MAX});
        // the subnet is full (max_allowed_uids = 2): the new key prunes the zero-emission miner, uid 1
        net.replace(1, 0);
        out = net.epoch(RAO);
        assertThat(out.emission()[0]).isEqualTo(1_000_000_000L);
        assertThat(out.emission()[1]).isZero();

        net.runToBlock(3);
        net.setWeights(0, new int[] {1}, new int[] {MAX});
        out = net.epoch(RAO);
        assertThat(out.emission()[0]).isEqualTo(500_000_000L);
        assertThat(out.emission()[1]).isEqualTo(500_000_000L);
    }

    @Test
    void inactiveValidatorsLoseDividendsAndBondsDecay() {
        SubnetScenario net = new SubnetScenario(0, 1);
        for (int i = 0; i < 4; i++) {
            net.register(1);
        }
        net.maxAllowedValidators = 4;
        net.epoch(RAO);
        net.nextBlock();
        for (int uid = 0; uid < 2; uid++) {
            net.setWeights(uid, range(2, 4), new int[] {MAX / 2, MAX / 2});
        }
        YumaOutput out = net.epoch(RAO);
        for (int uid = 0; uid < 4; uid++) {
            if (uid < 2) {
                assertThat(out.dividends()[uid]).isEqualTo(32767);
            }
            assertThat(out.emission()[uid]).isEqualTo(250_000_000L);
        }
        for (int validator = 0; validator < 2; validator++) {
            assertThat(new int[] {net.bond(validator, 0), net.bond(validator, 1), net.bond(validator, 2),
                    net.bond(validator, 3)}).containsExactly(0, 0, MAX, MAX);
        }

        // get_activity_cutoff (the legacy u16 item, 5000) only picks the block; the epoch's cutoff is 13 blocks
        long legacyCutoff = 5000;
        net.runToBlock(legacyCutoff + 2);
        net.setWeights(0, range(2, 4), new int[] {MAX / 2, MAX / 2});
        out = net.epoch(RAO);
        assertThat(out.dividends()[0]).isEqualTo(36044);
        assertThat(out.emission()[0]).isEqualTo(274_999_999L);
        assertThat(net.bond(0, 2)).isEqualTo(MAX);
        assertThat(net.bond(0, 3)).isEqualTo(MAX);
        assertThat(out.dividends()[1]).isEqualTo(29490);
        assertThat(out.emission()[1]).isEqualTo(224_999_999L);
        assertThat(net.bond(1, 2)).isEqualTo(53619);
        assertThat(net.bond(1, 3)).isEqualTo(53619);

        net.setWeights(1, range(2, 4), new int[] {MAX / 2, MAX / 2});
        net.runToBlock(legacyCutoff + 3);
        out = net.epoch(RAO);
        assertThat(out.dividends()[0]).isEqualTo(35716);
        assertThat(out.emission()[0]).isEqualTo(272_501_132L);
        assertThat(net.bond(0, 2)).isEqualTo(MAX);
        assertThat(net.bond(0, 3)).isEqualTo(MAX);
        assertThat(out.dividends()[1]).isEqualTo(29818);
        assertThat(out.emission()[1]).isEqualTo(227_498_866L);
        assertThat(net.bond(1, 2)).isEqualTo(54712);
        assertThat(net.bond(1, 3)).isEqualTo(54712);
    }

    @Test
    void weightsSetBeforeAReregistrationAreOutdated() {
        SubnetScenario net = new SubnetScenario(1, 0);
        for (int i = 0; i < 4; i++) {
            net.register(1);
        }
        net.maxAllowedValidators = 4;
        net.epoch(RAO);
        net.nextBlock();
        for (int uid = 0; uid < 2; uid++) {
            net.setWeights(uid, range(2, 4), new int[] {2 * (MAX / 3), MAX / 3});
        }
        for (int uid = 2; uid < 4; uid++) {
            net.setWeights(uid, new int[] {uid}, new int[] {MAX});
        }
        net.epoch(RAO);
        // a new key registers on the full subnet and takes uid 3, which had the least incentive
        net.replace(3, 0);
        net.nextBlock();
        net.setWeights(0, range(2, 4), new int[] {2 * (MAX / 3), MAX / 3});
        YumaOutput out = net.epoch(RAO);
        assertThat(out.dividends()[0]).isEqualTo(32767);
        assertThat(out.emission()[0]).isEqualTo(250_000_000L);
        assertThat(net.bond(0, 2)).isEqualTo(MAX);
        assertThat(net.bond(0, 3)).isEqualTo(MAX);
    }

    private static void assertBonds(SubnetScenario net, int miner, int... expected) {
        int[] actual = new int[expected.length];
        for (int v = 0; v < expected.length; v++) {
            actual[v] = net.bond(v, miner);
        }
        assertThat(actual).as("bonds toward uid %d", miner).containsExactly(expected);
    }
}
