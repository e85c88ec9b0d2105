package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.local.LocalChainOptions;
import dev.chorus.chain.yuma.SparseRow;
import dev.chorus.chain.yuma.StoredWeights;
import dev.chorus.chain.yuma.YumaEpoch;
import dev.chorus.chain.yuma.YumaInput;
import dev.chorus.chain.yuma.YumaOutput;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.admin.Admin;
import org.web3j.protocol.http.HttpService;

/**
 * The Solidity epoch (YumaEpoch.sol, run by eth_call on Anvil) against the Java reference
 * {@link YumaEpoch} on random subnets over consecutive epochs: every term, emission, permit and
 * bond row must be equal bit for bit.
 */
class YumaEpochContractIT {

    private static LocalChain chain;
    private static Admin web3j;
    private static TransactionSender sender;
    private static String contract;

    @BeforeAll
    static void deploy() {
        chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(1));
        web3j = Admin.build(new HttpService(chain.rpcUrl()));
        ContractArtifact artifact = ContractArtifact.load("YumaEpoch");
        sender = new TransactionSender(web3j, chain.devAccount(0).credentials(), chain.chainId(),
                ClientOptions.localChain(chain.chainId()), new RevertDecoder(artifact.abi()));
        contract = sender.send("deploy YumaEpoch", null, artifact.bytecode(), BigInteger.ZERO).getContractAddress();
    }

    @AfterAll
    static void stop() {
        web3j.shutdown();
        chain.close();
    }

    @Test
    void solidityEpochEqualsJavaOnRandomSubnets() {
        Coverage coverage = compareRandomSubnets(20_260_901L, 60, 64, 4);
        coverage.assertBroad(60 * 4);
    }

    @Test
    @Tag("long")
    void solidityEpochEqualsJavaOnManyLargerSubnets() {
        Coverage coverage = compareRandomSubnets(77L, 400, 256, 6);
        coverage.assertBroad(400 * 6);
    }

    private Coverage compareRandomSubnets(long seed, int subnets, int maxN, int epochs) {
        Random random = new Random(seed);
        Coverage coverage = new Coverage();
        for (int s = 0; s < subnets; s++) {
            YumaInput in = RandomSubnets.subnet(random, 1 + random.nextInt(maxN));
            for (int e = 0; e < epochs; e++) {
                YumaOutput expected = YumaEpoch.run(in);
                YumaOutput actual = YumaEpochAbi.decodeRun(sender.call("YumaEpoch.run", contract, YumaEpochAbi.encodeRun(in)));
                assertThat(actual).as("subnet %d epoch %d: %s", s, e, in).isEqualTo(expected);
                coverage.record(in, expected);
                in = RandomSubnets.nextEpoch(random, in, expected);
            }
        }
        return coverage;
    }

    /** Counts which paths the random inputs reached, so a generator that stopped exercising one fails. */
    private static final class Coverage {
        int classic;
        int yuma3;
        int liquidAlpha;
        int withDividends;
        int stakeFallback;
        int withBonds;
        int commitMasked;

        void record(YumaInput in, YumaOutput out) {
            if (commitMaskBites(in)) {
                commitMasked++;
            }
            if (!in.yuma3()) {
                classic++;
            } else if (in.liquidAlpha()) {
                liquidAlpha++;
            } else {
                yuma3++;
            }
            if (Arrays.stream(out.dividends()).anyMatch(d -> d != 0) && Arrays.stream(out.incentive()).anyMatch(i -> i != 0)) {
                withDividends++;
            }
            if (Arrays.stream(out.incentive()).allMatch(i -> i == 0) && Arrays.stream(out.emission()).anyMatch(x -> x != 0)) {
                stakeFallback++;
            }
            if (out.bonds().stream().anyMatch(row -> row.size() > 0)) {
                withBonds++;
            }
        }

        void assertBroad(int runs) {
            assertThat(classic + yuma3 + liquidAlpha).isEqualTo(runs);
            assertThat(classic).as("classic epochs").isGreaterThan(runs / 6);
            assertThat(yuma3).as("Yuma3 epochs with a fixed alpha").isGreaterThan(runs / 6);
            assertThat(liquidAlpha).as("Yuma3 epochs with liquid alpha").isGreaterThan(runs / 6);
            assertThat(withDividends).as("epochs paying incentive and dividends").isGreaterThan(runs / 3);
            assertThat(stakeFallback).as("epochs on the stake fallback").isPositive();
            assertThat(withBonds).as("epochs storing bonds").isGreaterThan(runs / 3);
            assertThat(commitMasked).as("epochs where the commit-reveal mask drops a weight no other mask drops")
                    .isGreaterThan(runs / 10);
        }

        private static boolean commitMaskBites(YumaInput in) {
            for (int i = 0; i < in.n(); i++) {
                SparseRow row = in.weights().get(i);
                for (int k = 0; k < row.size(); k++) {
                    int j = row.uids()[k];
                    if (in.validatorPermit()[i] && j < in.n() && j != i
                            && Long.compareUnsigned(in.lastUpdate()[i], in.blockAtRegistration()[j]) > 0
                            && Long.compareUnsigned(in.commitBlock()[i], in.blockAtRegistration()[j]) < 0) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** Random subnet states in the shapes the chain stores: unique uids per row, any order, explicit zeros. */
    static final class RandomSubnets {

        private RandomSubnets() {
        }

        static YumaInput subnet(Random r, int n) {
            long block = 1_000 + r.nextInt(200_000);
            int tempo = 1 + r.nextInt(720);
            long activityCutoff = 1 + r.nextInt(6_000);
            long lastStep = r.nextBoolean() ? 0 : block - 1 - r.nextInt(tempo);
            long rao = r.nextInt(3) == 0 ? 1_000_000_000L : 1 + (r.nextLong() >>> (4 + r.nextInt(50)));
            int kappa = r.nextInt(3) == 0 ? r.nextInt(65_536) : 32_767;
            int penalty = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> r.nextInt(65_536);
                default -> 65_535;
            };
            long bma = r.nextInt(3) == 0 ? r.nextInt(975_001) : 900_000;
            int maxValidators = 1 + r.nextInt(n + 4);
            long minStake = r.nextInt(5) == 0 ? r.nextLong(1L << 40) : 0;
            OptionalInt owner = r.nextInt(3) == 0 ? OptionalInt.of(r.nextInt(n + 2)) : OptionalInt.empty();
            boolean yuma3 = r.nextInt(3) != 0;
            boolean liquid = yuma3 && r.nextBoolean();
            int a = r.nextInt(65_536);
            int b = r.nextInt(65_536);
            boolean defaults = r.nextBoolean();
            int alphaLow = defaults ? 45_875 : Math.min(a, b);
            int alphaHigh = defaults ? 58_982 : Math.max(a, b);
            int steepness = r.nextInt(3) == 0 ? r.nextInt(65_536) - 32_768 : 1_000;

            long[] stake = new long[n];
            boolean[] permit = new boolean[n];
            long[] lastUpdate = new long[n];
            long[] registered = new long[n];
            List<SparseRow> weights = new ArrayList<>();
            List<SparseRow> bonds = new ArrayList<>();
            int magnitude = 10 + r.nextInt(40);
            // larger subnets weight like real ones: only some dozens of rows, so the call stays a few MB
            double rowChance = Math.min(0.8, 48.0 / n);
            for (int i = 0; i < n; i++) {
                stake[i] = r.nextInt(4) == 0 ? 0 : 1 + r.nextLong(1L << magnitude);
                permit[i] = r.nextInt(3) != 0;
                registered[i] = r.nextInt(4) == 0 ? block - r.nextInt(2 * tempo + 1) : r.nextLong(block / 2);
                lastUpdate[i] = registered[i] + r.nextLong(block - registered[i] + 1);
                weights.add(r.nextDouble() < rowChance ? row(r, n, true) : SparseRow.EMPTY);
                bonds.add(r.nextDouble() < rowChance * 0.8 ? row(r, n, false) : SparseRow.EMPTY);
            }
            long[] commitBlock = r.nextInt(3) == 0 ? pendingCommits(r, registered) : YumaInput.noCommits(n);
            return new YumaInput(n, block, tempo, activityCutoff, lastStep, rao, kappa, penalty, bma, maxValidators,
                    minStake, owner, yuma3, liquid, alphaLow, alphaHigh, steepness, stake, permit, lastUpdate, registered,
                    commitBlock, weights, bonds);
        }

        /** A subnet under commit-reveal: most uids hold a pending commit, made just before, at or after some registration. */
        private static long[] pendingCommits(Random r, long[] registered) {
            long[] commits = YumaInput.noCommits(registered.length);
            for (int i = 0; i < commits.length; i++) {
                if (r.nextInt(4) != 0) {
                    commits[i] = Math.max(0, registered[r.nextInt(registered.length)] + r.nextInt(3) - 1);
                }
            }
            return commits;
        }

        /**
         * A row of distinct uids (now and then one repeated, which only a direct call can pass), shuffled
         * or ascending, at most 96 long so a call stays under Anvil's 2 MB request limit; weight rows are
         * max-upscaled as the chain stores them.
         */
        static SparseRow row(Random r, int n, boolean upscale) {
            int size = 1 + r.nextInt(Math.min(n, 96));
            int[] uids = distinct(r, n, size);
            if (size > 1 && r.nextInt(40) == 0) {
                uids[size - 1] = uids[0];
            }
            if (r.nextBoolean()) {
                Arrays.sort(uids);
            }
            int[] values = new int[size];
            for (int k = 0; k < size; k++) {
                values[k] = r.nextInt(8) == 0 ? 0 : r.nextInt(65_536);
            }
            return new SparseRow(uids, upscale ? StoredWeights.maxUpscale(values) : values);
        }

        private static int[] distinct(Random r, int n, int size) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            return Arrays.copyOf(all, size);
        }

        /**
         * The next epoch, one tempo later: stored permits and bonds carried over, and a few
         * validators set new weights, a few stakes change and now and then a uid is re-registered.
         */
        static YumaInput nextEpoch(Random r, YumaInput in, YumaOutput out) {
            int n = in.n();
            long block = in.block() + in.tempo() + r.nextInt(3);
            long[] stake = in.stake().clone();
            long[] lastUpdate = in.lastUpdate().clone();
            long[] registered = in.blockAtRegistration().clone();
            long[] commitBlock = in.commitBlock().clone();
            List<SparseRow> weights = new ArrayList<>(in.weights());
            List<SparseRow> bonds = new ArrayList<>(out.bonds());
            for (int i = 0; i < n; i++) {
                int change = r.nextInt(10);
                if (change < 3 && in.weights().get(i).size() > 0) {
                    weights.set(i, row(r, n, true));
                    lastUpdate[i] = block - r.nextInt(in.tempo());
                } else if (change == 3) {
                    stake[i] = r.nextInt(3) == 0 ? 0 : 1 + r.nextLong(1L << 40);
                } else if (change == 4 && r.nextInt(4) == 0) {
                    registered[i] = block - 1;
                    lastUpdate[i] = block - 1;
                    commitBlock[i] = YumaInput.NO_COMMIT;
                    weights.set(i, SparseRow.EMPTY);
                    bonds.set(i, SparseRow.EMPTY);
                }
            }
            return new YumaInput(n, block, in.tempo(), in.activityCutoff(), in.block(), in.raoEmission(), in.kappa(),
                    in.bondsPenalty(), in.bondsMovingAverage(), in.maxAllowedValidators(), in.minStake(), in.ownerUid(),
                    in.yuma3(), in.liquidAlpha(), in.alphaLow(), in.alphaHigh(), in.alphaSigmoidSteepness(), stake,
                    out.validatorPermit(), lastUpdate, registered, commitBlock, weights, bonds);
        }
    }
}
