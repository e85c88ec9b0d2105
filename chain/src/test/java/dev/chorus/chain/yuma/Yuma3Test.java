package dev.chorus.chain.yuma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * subtensor's Yuma3 scenarios ({@code tests/epoch.rs}, test_yuma_3_*): three validators and two or
 * three miners over six (or forty-one) epochs with liquid alpha. Those tests assert dividends
 * within 1e-3, and so does this one. Their bond targets are written down but never compared (the
 * comparison loop there is empty); where they are given per miner, this test compares them too.
 */
class Yuma3Test {

    private static final int MAX = 65535;
    private static final int[] TWO_MINERS = {3, 4};
    private static final int[][] FIRST = {{MAX, 0}, {MAX, 0}, {MAX, 0}};
    private static final int[][] SECOND = {{0, MAX}, {0, MAX}, {0, MAX}};

    /** {@code setup_yuma_3_scenario}: registration at block 1, then the permit epoch at block 2. */
    private static SubnetScenario setUp(long... stakes) {
        SubnetScenario net = new SubnetScenario(1, 1);
        for (long s : stakes) {
            net.register(s);
        }
        net.bondsPenalty = 0;
        net.alphaSigmoidSteepness = 1000;
        net.bondsMovingAverage = 975_000;
        net.kappa = MAX / 2;
        net.liquidAlpha = true;
        // set_alpha_values_32(0.1, 0.3) stores floor(x * 65535) of the I32F32 values
        net.alphaLow = 6553;
        net.alphaHigh = 19660;
        net.yuma3 = true;
        net.maxAllowedValidators = 3;
        runEpoch(net);
        return net;
    }

    private static YumaOutput runEpoch(SubnetScenario net) {
        net.nextBlock();
        return net.epoch(1_000_000_000L);
    }

    private static void setWeights(SubnetScenario net, int[][] rows, int[] miners) {
        for (int uid = 0; uid < rows.length; uid++) {
            net.setWeights(uid, miners, rows[uid]);
        }
    }

    private static void play(SubnetScenario net, int[] miners, IntFunction<int[][]> weightsAt, double[][] dividends,
            double[][][] bonds) {
        for (int epoch = 0; epoch < dividends.length; epoch++) {
            int[][] rows = weightsAt.apply(epoch);
            if (rows != null) {
                setWeights(net, rows, miners);
            }
            YumaOutput out = runEpoch(net);
            assertDividends(out, dividends[epoch], epoch);
            if (bonds != null) {
                for (int validator = 0; validator < 3; validator++) {
                    for (int m = 0; m < miners.length; m++) {
                        assertThat(net.bond(validator, miners[m]) / 65535.0)
                                .as("bond of validator %d to uid %d in epoch %d", validator, miners[m], epoch)
                                .isCloseTo(bonds[epoch][validator][m], within(1e-3));
                    }
                }
            }
        }
    }

    private static void assertDividends(YumaOutput out, double[] expected, int epoch) {
        for (int uid = 0; uid < expected.length; uid++) {
            assertThat(out.dividends()[uid] / 65535.0).as("dividend of uid %d in epoch %d", uid, epoch)
                    .isCloseTo(expected[uid], within(1e-3));
        }
    }

    @Test
    void bigValidatorMovingFirstKeepsMostDividends() {
        SubnetScenario net = setUp(8, 1, 1, 0, 0);
        play(net, TWO_MINERS, epoch -> switch (epoch) {
            case 0 -> FIRST;
            case 1 -> new int[][] {{0, MAX}, {MAX, 0}, {MAX, 0}};
            case 2 -> new int[][] {{0, MAX}, {0, MAX}, {MAX, 0}};
            case 3 -> SECOND;
            default -> null;
        }, new double[][] {
            {0.8000, 0.1000, 0.1000, 0, 0},
            {1.0000, 0.0000, 0.0000, 0, 0},
            {0.9382, 0.0618, 0.0000, 0, 0},
            {0.8819, 0.0773, 0.0407, 0, 0},
            {0.8564, 0.0844, 0.0592, 0, 0},
            {0.8418, 0.0884, 0.0697, 0, 0},
        }, new double[][][] {
            {{0.1013, 0.0000}, {0.1013, 0.0000}, {0.1013, 0.0000}},
            {{0.0908, 0.1013}, {0.3697, 0.0000}, {0.3697, 0.0000}},
            {{0.0815, 0.1924}, {0.3170, 0.1013}, {0.5580, 0.0000}},
            {{0.0731, 0.2742}, {0.2765, 0.1924}, {0.4306, 0.1013}},
            {{0.0656, 0.3478}, {0.2435, 0.2742}, {0.3589, 0.1924}},
            {{0.0588, 0.4139}, {0.2157, 0.3478}, {0.3089, 0.2742}},
        });
    }

    @Test
    void bigValidatorMovingSecond() {
        SubnetScenario net = setUp(8, 1, 1, 0, 0);
        play(net, TWO_MINERS, epoch -> switch (epoch) {
            case 0 -> FIRST;
            case 1 -> new int[][] {{MAX, 0}, {0, MAX}, {MAX, 0}};
            case 2 -> new int[][] {{0, MAX}, {0, MAX}, {MAX, 0}};
            case 3 -> SECOND;
            default -> null;
        }, new double[][] {
            {0.8000, 0.1000, 0.1000, 0, 0},
            {0.8446, 0.0498, 0.1056, 0, 0},
            {0.6868, 0.3132, 0.0000, 0, 0},
            {0.7421, 0.2090, 0.0489, 0, 0},
            {0.7625, 0.1706, 0.0669, 0, 0},
            {0.7730, 0.1508, 0.0762, 0, 0},
        }, new double[][][] {
            {{0.1013, 0.0000}, {0.1013, 0.0000}, {0.1013, 0.0000}},
            {{0.1924, 0.0000}, {0.0908, 0.2987}, {0.1924, 0.0000}},
            {{0.1715, 0.1013}, {0.0815, 0.3697}, {0.4336, 0.0000}},
            {{0.1531, 0.1924}, {0.0731, 0.4336}, {0.3608, 0.1013}},
            {{0.1369, 0.2742}, {0.0656, 0.4910}, {0.3103, 0.1924}},
            {{0.1225, 0.3478}, {0.0588, 0.5426}, {0.2712, 0.2742}},
        });
    }

    @Test
    void bigValidatorMovingLast() {
        SubnetScenario net = setUp(8, 1, 1, 0, 0);
        play(net, TWO_MINERS, epoch -> switch (epoch) {
            case 0 -> FIRST;
            case 1 -> new int[][] {{MAX, 0}, {0, MAX}, {MAX, 0}};
            case 2 -> new int[][] {{MAX, 0}, {0, MAX}, {0, MAX}};
            case 3 -> SECOND;
            default -> null;
        }, new double[][] {
            {0.8000, 0.1000, 0.1000, 0, 0},
            {0.8446, 0.0498, 0.1056, 0, 0},
            {0.8966, 0.0333, 0.0701, 0, 0},
            {0.4663, 0.3210, 0.2127, 0, 0},
            {0.5976, 0.2340, 0.1683, 0, 0},
            {0.6592, 0.1932, 0.1475, 0, 0},
        }, new double[][][] {
            {{0.1013, 0.0000}, {0.1013, 0.0000}, {0.1013, 0.0000}},
            {{0.1924, 0.0000}, {0.0908, 0.2987}, {0.1924, 0.0000}},
            {{0.2742, 0.0000}, {0.0815, 0.5081}, {0.1715, 0.2987}},
            {{0.2416, 0.1013}, {0.0731, 0.5580}, {0.1531, 0.3697}},
            {{0.2141, 0.1924}, {0.0656, 0.6028}, {0.1369, 0.4336}},
            {{0.1903, 0.2742}, {0.0588, 0.6430}, {0.1225, 0.4910}},
        });
    }

    @Test
    void oneEpochSwitchCostsTheSwitcherDividends() {
        SubnetScenario net = setUp(33, 33, 34, 0, 0);
        play(net, TWO_MINERS, epoch -> epoch == 2 ? new int[][] {{MAX, 0}, {MAX, 0}, {0, MAX}} : FIRST,
                new double[][] {
                    {0.3300, 0.3300, 0.3400, 0, 0},
                    {0.3300, 0.3300, 0.3400, 0, 0},
                    {0.3782, 0.3782, 0.2436, 0, 0},
                    {0.3628, 0.3628, 0.2745, 0, 0},
                    {0.3541, 0.3541, 0.2917, 0, 0},
                    {0.3487, 0.3487, 0.3026, 0, 0},
                }, new double[][][] {
                    {{0.1013, 0.0000}, {0.1013, 0.0000}, {0.1013, 0.0000}},
                    {{0.1924, 0.0000}, {0.1924, 0.0000}, {0.1924, 0.0000}},
                    {{0.2742, 0.0000}, {0.2742, 0.0000}, {0.1715, 0.2987}},
                    {{0.3478, 0.0000}, {0.3478, 0.0000}, {0.2554, 0.2618}},
                    {{0.4139, 0.0000}, {0.4139, 0.0000}, {0.3309, 0.2312}},
                    {{0.4733, 0.0000}, {0.4733, 0.0000}, {0.3987, 0.2051}},
                });
    }

    @Test
    void fixedAlphaWithoutLiquidAlpha() {
        SubnetScenario net = setUp(33, 33, 34, 0, 0);
        net.liquidAlpha = false;
        play(net, TWO_MINERS, epoch -> epoch == 2 ? new int[][] {{MAX, 0}, {MAX, 0}, {0, MAX}} : FIRST,
                new double[][] {
                    {0.3300, 0.3300, 0.3400, 0, 0},
                    {0.3300, 0.3300, 0.3400, 0, 0},
                    {0.3734, 0.3734, 0.2532, 0, 0},
                    {0.3611, 0.3611, 0.2779, 0, 0},
                    {0.3541, 0.3541, 0.2919, 0, 0},
                    {0.3495, 0.3495, 0.3009, 0, 0},
                }, null);
    }

    @Test
    void stableMinerKeepsBondsWhileOthersMove() {
        SubnetScenario net = setUp(8, 1, 1, 0, 0, 0);
        int half = MAX / 2;
        play(net, new int[] {3, 4, 5}, epoch -> switch (epoch) {
            case 0 -> new int[][] {{half, 0, half}, {half, 0, half}, {half, 0, half}};
            case 1 -> new int[][] {{half, 0, half}, {0, half, half}, {half, 0, half}};
            case 2 -> new int[][] {{0, half, half}, {0, half, half}, {half, 0, half}};
            case 3 -> new int[][] {{0, half, half}, {0, half, half}, {0, half, half}};
            default -> null;
        }, new double[][] {
            {0.8000, 0.1000, 0.1000, 0, 0, 0},
            {0.8226, 0.0745, 0.1028, 0, 0, 0},
            {0.7750, 0.1685, 0.0565, 0, 0, 0},
            {0.7864, 0.1372, 0.0764, 0, 0, 0},
            {0.7912, 0.1241, 0.0847, 0, 0, 0},
            {0.7937, 0.1173, 0.0890, 0, 0, 0},
        }, new double[][][] {
            {{0.0507, 0.0000, 0.0507}, {0.0507, 0.0000, 0.0507}, {0.0507, 0.0000, 0.0507}},
            {{0.0962, 0.0000, 0.0962}, {0.0455, 0.1000, 0.0962}, {0.0962, 0.0000, 0.0962}},
            {{0.0863, 0.0507, 0.1371}, {0.0408, 0.1405, 0.1371}, {0.1770, 0.0000, 0.1371}},
            {{0.0774, 0.0962, 0.1739}, {0.0367, 0.1770, 0.1739}, {0.1579, 0.0507, 0.1739}},
            {{0.0694, 0.1371, 0.2069}, {0.0329, 0.2097, 0.2069}, {0.1411, 0.0962, 0.2069}},
            {{0.0623, 0.1739, 0.2366}, {0.0296, 0.2391, 0.2366}, {0.1263, 0.1371, 0.2366}},
        });
    }

    @Test
    void resettingBondsToAMinerRestartsTheirAccrual() {
        SubnetScenario net = setUp(8, 1, 1, 0, 0);
        Map<Integer, double[]> dividends = Map.of(
                0, new double[] {0.8000, 0.1000, 0.1000, 0, 0},
                1, new double[] {0.8944, 0.0528, 0.0528, 0, 0},
                2, new double[] {0.5230, 0.2385, 0.2385, 0, 0},
                19, new double[] {0.7919, 0.1040, 0.1040, 0, 0},
                20, new double[] {0.7928, 0.1036, 0.1036, 0, 0},
                21, new double[] {0.8467, 0.0766, 0.0766, 0, 0},
                40, new double[] {0.7928, 0.1036, 0.1036, 0, 0});
        for (int epoch = 0; epoch <= 40; epoch++) {
            if (epoch == 0) {
                setWeights(net, FIRST, TWO_MINERS);
            } else if (epoch == 1) {
                setWeights(net, new int[][] {{MAX, 0}, {0, MAX}, {0, MAX}}, TWO_MINERS);
            } else if (epoch <= 20) {
                setWeights(net, SECOND, TWO_MINERS);
                if (epoch == 20) {
                    resetBondsToward(net, 3);
                }
            } else if (epoch == 21) {
                setWeights(net, new int[][] {{0, MAX}, {MAX, 0}, {MAX, 0}}, TWO_MINERS);
            } else {
                setWeights(net, FIRST, TWO_MINERS);
            }
            YumaOutput out = runEpoch(net);
            if (dividends.containsKey(epoch)) {
                assertDividends(out, dividends.get(epoch), epoch);
            }
        }
    }

    /** {@code do_reset_bonds} with bonds reset enabled: every stored bond toward the uid is removed. */
    private static void resetBondsToward(SubnetScenario net, int uid) {
        for (int i = 0; i < net.n(); i++) {
            SparseRow row = net.bonds.get(i);
            int kept = 0;
            for (int k = 0; k < row.size(); k++) {
                if (row.uids()[k] != uid) {
                    kept++;
                }
            }
            int[] uids = new int[kept];
            int[] values = new int[kept];
            int at = 0;
            for (int k = 0; k < row.size(); k++) {
                if (row.uids()[k] != uid) {
                    uids[at] = row.uids()[k];
                    values[at++] = row.values()[k];
                }
            }
            net.bonds.set(i, new SparseRow(uids, values));
        }
    }
}
