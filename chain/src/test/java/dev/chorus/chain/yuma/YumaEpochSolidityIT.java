package dev.chorus.chain.yuma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.local.LocalChainOptions;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Solidity epoch against the Java epoch on a real Anvil: random subnets (n up to 64, classic
 * and Yuma3, liquid alpha on and off) over consecutive epochs, every stored term, permit, bond and
 * emission equal bit for bit.
 */
class YumaEpochSolidityIT {

    private static LocalChain chain;
    private static SolidityYumaEpoch solidity;

    @BeforeAll
    static void deploy() throws IOException {
        chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(1));
        solidity = new SolidityYumaEpoch(chain);
    }

    @AfterAll
    static void stop() {
        if (solidity != null) {
            solidity.close();
        }
        if (chain != null) {
            chain.close();
        }
    }

    /** Compares the two epochs; returns how many epochs paid both miners and validators by weight. */
    private static int compare(long seed, int subnets, int maxN, int epochs) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        int weighted = 0;
        for (int s = 0; s < subnets; s++) {
            int n = 1 + rng.nextInt(maxN);
            YumaInput in = RandomSubnets.subnet(rng, n, s % 2 == 1);
            for (int e = 0; e < epochs; e++) {
                YumaOutput java = YumaEpoch.run(in);
                YumaOutput onChain = solidity.run(in);
                assertThat(onChain).as("subnet %d (n = %d, yuma3 = %s, liquid = %s), epoch %d; input %s", s, n,
                        in.yuma3(), in.liquidAlpha(), e, YumaJson.writeInput(in)).isEqualTo(java);
                if (Arrays.stream(java.incentive()).anyMatch(v -> v > 0) && Arrays.stream(java.dividends()).anyMatch(v -> v > 0)) {
                    weighted++;
                }
                in = RandomSubnets.nextEpoch(rng, in, java);
            }
        }
        return weighted;
    }

    @Test
    void randomSubnetsAgreeBitForBitOverConsecutiveEpochs() throws IOException {
        int weighted = compare(2026, 60, 64, 3);
        // most draws must reach consensus, bonds and dividends, or equality would prove little
        assertThat(weighted).isGreaterThan(120);
    }

    @Test
    void subtensorScenariosAgreeOnChain() throws IOException {
        SubnetScenario net = new SubnetScenario(1, 1);
        for (long s : new long[] {8, 1, 1, 0, 0}) {
            net.register(s);
        }
        net.yuma3 = true;
        net.liquidAlpha = true;
        net.bondsPenalty = 0;
        net.bondsMovingAverage = 975_000;
        net.alphaLow = 6553;
        net.alphaHigh = 19660;
        net.maxAllowedValidators = 3;
        for (int epoch = 0; epoch < 6; epoch++) {
            net.nextBlock();
            YumaInput in = net.input(1_000_000_000L);
            assertThat(solidity.run(in)).isEqualTo(YumaEpoch.run(in));
            net.epoch(1_000_000_000L);
            for (int uid = 0; uid < 3; uid++) {
                net.setWeights(uid, new int[] {3, 4}, epoch < 2 ? new int[] {65535, 0} : new int[] {0, 65535});
            }
        }
    }

    /** Gas of the epoch computation alone (no storage), on full subnets with bonds from a first epoch. */
    @Test
    void denseSubnetsFitTheBlockGasLimit() throws IOException {
        SplittableRandom rng = new SplittableRandom(1);
        for (int[] shape : new int[][] {{16, 4}, {64, 16}, {256, 64}}) {
            for (String mode : new String[] {"classic", "yuma3-liquid"}) {
                YumaInput first = RandomSubnets.dense(rng, shape[0], shape[1], !mode.equals("classic"), mode.endsWith("liquid"));
                YumaInput in = first.next(YumaEpoch.run(first), first.block() + 360, first.block());
                long gas = solidity.gas(in);
                System.out.printf("Yuma epoch gas, n = %d, %d validators, %s: %d%n", shape[0], shape[1], mode, gas);
                assertThat(gas).isLessThan(LocalChainOptions.defaults().blockGasLimit());
                if (shape[0] <= 64) {
                    assertThat(solidity.run(in)).isEqualTo(YumaEpoch.run(in));
                }
            }
        }
    }

    @Test
    @Tag("long")
    void manyLargerSubnetsAgree() throws IOException {
        assertThat(compare(7, 200, 128, 4)).isGreaterThan(500);
    }
}
