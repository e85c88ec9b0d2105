package dev.chorus.bench.yuma;

import dev.chorus.chain.yuma.SparseRow;
import dev.chorus.chain.yuma.StoredWeights;
import dev.chorus.chain.yuma.YumaEpoch;
import dev.chorus.chain.yuma.YumaInput;
import dev.chorus.chain.yuma.YumaOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Java Yuma epoch on a full subnet: {@code validators} permitted, staked validators each
 * weighting every other uid (dense rows), with bonds carried over from a previous epoch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class YumaEpochBenchmark {

    /** uids:validators. */
    @Param({"256:64", "4096:256"})
    public String shape;

    /** classic, yuma3 (fixed alpha) or yuma3-liquid (liquid alpha, the exp-heavy path). */
    @Param({"classic", "yuma3", "yuma3-liquid"})
    public String mode;

    private YumaInput input;

    @Setup
    public void buildSubnet() {
        String[] parts = shape.split(":");
        int n = Integer.parseInt(parts[0]);
        int validators = Integer.parseInt(parts[1]);
        boolean yuma3 = !mode.equals("classic");
        boolean liquid = mode.equals("yuma3-liquid");
        input = subnet(n, validators, yuma3, liquid, new SplittableRandom(42));
        YumaOutput previous = YumaEpoch.run(input);
        input = input.next(previous, input.block() + 1, input.block());
        YumaOutput check = YumaEpoch.run(input);
        long weightedMiners = 0;
        for (int c : check.consensus()) {
            weightedMiners += c > 0 ? 1 : 0;
        }
        int bondRows = 0;
        for (SparseRow row : check.bonds()) {
            bondRows += row.size() > 0 ? 1 : 0;
        }
        if (weightedMiners < n / 2 || bondRows != validators) {
            throw new IllegalStateException("benchmark subnet is degenerate: " + weightedMiners
                    + " miners with consensus, " + bondRows + " validators with bonds");
        }
    }

    @Benchmark
    public YumaOutput epoch() {
        return YumaEpoch.run(input);
    }

    static YumaInput subnet(int n, int validators, boolean yuma3, boolean liquid, SplittableRandom rng) {
        long block = 10_000;
        long[] stake = new long[n];
        boolean[] permit = new boolean[n];
        long[] lastUpdate = new long[n];
        long[] registered = new long[n];
        List<SparseRow> weights = new ArrayList<>(n);
        List<SparseRow> bonds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean validator = i < validators;
            stake[i] = validator ? 1_000 + rng.nextLong(1_000_000) : 0;
            permit[i] = validator;
            lastUpdate[i] = block - 1 - rng.nextInt(100);
            registered[i] = rng.nextInt(1_000);
            bonds.add(SparseRow.EMPTY);
            if (!validator) {
                weights.add(SparseRow.EMPTY);
                continue;
            }
            int[] uids = new int[n - 1];
            int[] values = new int[n - 1];
            for (int j = 0, k = 0; j < n; j++) {
                if (j != i) {
                    uids[k] = j;
                    values[k++] = rng.nextInt(65536);
                }
            }
            weights.add(new SparseRow(uids, StoredWeights.maxUpscale(values)));
        }
        return new YumaInput(n, block, 360, 5_000, block - 360, 1_000_000_000L, 32767, 65535, 900_000, validators, 0,
                OptionalInt.empty(), yuma3, liquid, 45875, 58982, 1000, stake, permit, lastUpdate, registered,
                weights, bonds);
    }
}
