package dev.chorus.chain.yuma;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Random subnet states that reach the epoch's corners: zero and sub-threshold stakes, an owner,
 * lost permits, inactive and freshly registered uids, unsorted rows with explicit zeros and
 * self-weights, every hyperparameter drawn from its range.
 */
final class RandomSubnets {

    private RandomSubnets() {
    }

    static YumaInput subnet(SplittableRandom rng, int n, boolean yuma3) {
        long block = 1_000 + rng.nextInt(10_000);
        int tempo = 1 + rng.nextInt(400);
        long[] stake = new long[n];
        boolean[] permit = new boolean[n];
        long[] lastUpdate = new long[n];
        long[] registered = new long[n];
        for (int i = 0; i < n; i++) {
            stake[i] = switch (rng.nextInt(4)) {
                case 0 -> 0;
                case 1 -> rng.nextLong(100);
                default -> rng.nextLong(1L << (10 + rng.nextInt(40)));
            };
            permit[i] = rng.nextInt(3) > 0;
            registered[i] = rng.nextInt(4) == 0 ? block - rng.nextInt(Math.max(1, tempo * 2)) : rng.nextInt(500);
            lastUpdate[i] = rng.nextInt(5) == 0 ? rng.nextLong(block) : block - rng.nextInt(50);
        }
        List<SparseRow> weights = new ArrayList<>(n);
        List<SparseRow> bonds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            weights.add(rng.nextInt(3) == 0 ? SparseRow.EMPTY : row(rng, n, i, true));
            bonds.add(rng.nextInt(2) == 0 ? SparseRow.EMPTY : row(rng, n, i, false));
        }
        int bp = switch (rng.nextInt(3)) {
            case 0 -> 0;
            case 1 -> 65535;
            default -> rng.nextInt(65536);
        };
        int low = rng.nextInt(60000);
        return new YumaInput(n, block, tempo, 1 + rng.nextInt(2 * tempo + 100),
                rng.nextBoolean() ? 0 : block - 1 - rng.nextInt(tempo), rng.nextLong(1L << 40),
                rng.nextInt(65536), bp, rng.nextLong(1_000_001), 1 + rng.nextInt(n + 2),
                rng.nextInt(3) == 0 ? rng.nextLong(200) : 0, rng.nextBoolean() ? OptionalInt.of(rng.nextInt(n))
                        : OptionalInt.empty(),
                yuma3, yuma3 && rng.nextBoolean(), low, low + rng.nextInt(65536 - low), rng.nextInt(-3000, 3001),
                stake, permit, lastUpdate, registered, weights, bonds);
    }

    /** A full subnet with default hyperparameters: {@code validators} staked, permitted validators weighting every other uid. */
    static YumaInput dense(SplittableRandom rng, int n, int validators, boolean yuma3, boolean liquid) {
        SubnetScenario net = new SubnetScenario(10_000, 360);
        net.maxAllowedValidators = validators;
        net.yuma3 = yuma3;
        net.liquidAlpha = liquid;
        for (int uid = 0; uid < n; uid++) {
            net.register(uid < validators ? 1_000 + rng.nextLong(1_000_000) : 0);
            net.permit.set(uid, uid < validators);
        }
        net.nextBlock();
        for (int uid = 0; uid < validators; uid++) {
            int self = uid;
            int[] others = java.util.stream.IntStream.range(0, n).filter(j -> j != self).toArray();
            net.setWeights(uid, others, rng.ints(others.length, 0, 65536).toArray());
        }
        return net.input(1_000_000_000L);
    }

    /** A stored row: random uids (some self, some repeated order), u16 values with explicit zeros. */
    static SparseRow row(SplittableRandom rng, int n, int self, boolean sorted) {
        int size = 1 + rng.nextInt(n);
        boolean[] taken = new boolean[n];
        int[] uids = new int[size];
        int count = 0;
        while (count < size) {
            int j = rng.nextInt(n);
            if (!taken[j] || rng.nextInt(50) == 0) {
                taken[j] = true;
                uids[count++] = j;
            }
        }
        if (sorted || rng.nextBoolean()) {
            java.util.Arrays.sort(uids);
        }
        if (rng.nextInt(4) == 0) {
            uids[0] = self;
        }
        int[] values = new int[size];
        for (int k = 0; k < size; k++) {
            values[k] = rng.nextInt(5) == 0 ? 0 : rng.nextInt(65536);
        }
        return new SparseRow(uids, values);
    }

    /** Between epochs: a few validators re-set weights at the new block. */
    static YumaInput nextEpoch(SplittableRandom rng, YumaInput in, YumaOutput out) {
        long block = in.block() + 1 + rng.nextInt(in.tempo() + 1);
        long[] lastUpdate = in.lastUpdate().clone();
        List<SparseRow> weights = new ArrayList<>(in.weights());
        for (int i = 0; i < in.n(); i++) {
            if (rng.nextInt(3) == 0) {
                weights.set(i, row(rng, in.n(), i, true));
                lastUpdate[i] = block - 1;
            }
        }
        YumaInput carried = in.next(out, block, in.block());
        return new YumaInput(carried.n(), carried.block(), carried.tempo(), carried.activityCutoff(),
                carried.lastMechanismStepBlock(), carried.raoEmission(), carried.kappa(), carried.bondsPenalty(),
                carried.bondsMovingAverage(), carried.maxAllowedValidators(), carried.minStake(), carried.ownerUid(),
                carried.yuma3(), carried.liquidAlpha(), carried.alphaLow(), carried.alphaHigh(),
                carried.alphaSigmoidSteepness(), carried.stake(), carried.validatorPermit(), lastUpdate,
                carried.blockAtRegistration(), weights, carried.bonds());
    }
}
