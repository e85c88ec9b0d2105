package dev.chorus.bench.scoring;

import dev.chorus.bench.report.ReplayReport;
import org.apache.commons.math3.stat.descriptive.rank.Median;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sentences per second of several embedding engines on the same answers, all loaded in one process and taking turns:
 * each round every engine embeds every answer once, in an order that rotates from round to round. A shared machine's
 * speed drifts by more than the differences measured (±15 % between identical runs here), so each engine's ratio to
 * the baseline is taken within a round, where the drift falls on all engines alike, and the median over rounds is
 * reported with the smallest and largest.
 *
 * <p>{@link EmbeddingThroughputBenchmark} measures the same engines under JMH with a fresh JVM each instead.
 */
public final class EmbeddingSpeedComparison {

    private EmbeddingSpeedComparison() {
    }

    /**
     * Runs {@code warmupRounds} untimed rounds, then {@code rounds} timed ones, over the throughput benchmarks'
     * {@code answers} answers; reports each round's times on {@code progress}.
     *
     * @param engines the engines to compare; {@code baseline} is added first when missing
     */
    public static Result run(List<ComparedEngine> engines, ComparedEngine baseline, int answers, int warmupRounds,
                             int rounds, PrintWriter progress) {
        if (answers < 1 || rounds < 1 || warmupRounds < 0) {
            throw new IllegalArgumentException("Need at least 1 answer and 1 timed round, and no negative warm-up"
                    + " rounds; got " + answers + " answers, " + rounds + " rounds, " + warmupRounds + " warm-up rounds");
        }
        List<ComparedEngine> compared = new ArrayList<>();
        compared.add(baseline);
        engines.stream().distinct().filter(e -> e != baseline).forEach(compared::add);
        MixedAnswers.Counted set = MixedAnswers.throughputSet(answers);
        double[][] seconds = new double[compared.size()][rounds];
        ExecutorService batchRunner = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<ComparedEngine.Running> running = new ArrayList<>();
        try {
            for (ComparedEngine engine : compared) {
                running.add(engine.open(batchRunner));
            }
            for (int round = -warmupRounds; round < rounds; round++) {
                StringBuilder line = new StringBuilder(round < 0 ? "warm-up:" : "round " + (round + 1) + "/" + rounds + ":");
                for (int turn = 0; turn < compared.size(); turn++) {
                    int e = Math.floorMod(round + turn, compared.size());
                    double took = timeOneRound(compared.get(e), running.get(e), set.texts());
                    if (round >= 0) {
                        seconds[e][round] = took;
                    }
                    line.append(String.format(Locale.ROOT, " %s %.2f s", compared.get(e).id(), took));
                }
                progress.println(line);
                progress.flush();
            }
        } finally {
            running.forEach(ComparedEngine.Running::close);
            batchRunner.shutdown();
        }
        List<EngineResult> results = new ArrayList<>();
        for (int e = 0; e < compared.size(); e++) {
            results.add(EngineResult.of(compared.get(e), compared.get(e).tokensRead(set.tokens()), answers,
                    seconds[e], seconds[0]));
        }
        return new Result(answers, warmupRounds, rounds, Runtime.getRuntime().availableProcessors(),
                Runtime.version().toString(), results);
    }

    private static double timeOneRound(ComparedEngine engine, ComparedEngine.Running running, List<String> texts) {
        long start = System.nanoTime();
        int produced = running.embedAll(texts).size();
        double took = (System.nanoTime() - start) / 1e9;
        if (produced != texts.size()) {
            throw new IllegalStateException("Engine " + engine.id() + " returned " + produced + " embeddings for "
                    + texts.size() + " answers");
        }
        return took;
    }

    /**
     * One engine's figures: seconds for all answers in each timed round, their median, and its ratio to the
     * baseline (the baseline's time over this engine's in the same round, so above 1 is faster).
     */
    public record EngineResult(String engine, long tokensRead, double[] secondsPerRound, double medianSeconds,
                               double sentencesPerSecond, double tokensPerSecond, double speedupMedian,
                               double speedupMin, double speedupMax) {

        static EngineResult of(ComparedEngine engine, long tokensRead, int answers, double[] seconds,
                               double[] baselineSeconds) {
            double[] speedups = new double[seconds.length];
            for (int r = 0; r < seconds.length; r++) {
                speedups[r] = baselineSeconds[r] / seconds[r];
            }
            double median = new Median().evaluate(seconds);
            return new EngineResult(engine.id(), tokensRead, seconds.clone(), median, answers / median,
                    tokensRead / median, new Median().evaluate(speedups), Arrays.stream(speedups).min().orElseThrow(),
                    Arrays.stream(speedups).max().orElseThrow());
        }
    }

    /** What one comparison measured, the baseline first. */
    public record Result(int answers, int warmupRounds, int rounds, int processors, String jvm,
                         List<EngineResult> engines) {

        public String table() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "%d answers of 10 to 300 tokens, %d timed rounds after %d warm-up, one JVM (%s), %d processors;"
                            + " speed-up = %s's time / the engine's, per round%n",
                    answers, rounds, warmupRounds, jvm, processors, engines.getFirst().engine()));
            out.append(String.format(Locale.ROOT, "%-20s %12s %12s %12s %12s  %s%n", "engine", "tokens read",
                    "median s", "sentences/s", "tokens/s", "speed-up median [min, max]"));
            for (EngineResult e : engines) {
                out.append(String.format(Locale.ROOT, "%-20s %12d %12.3f %12.1f %12.0f  %.2fx [%.2f, %.2f]%n",
                        e.engine(), e.tokensRead(), e.medianSeconds(), e.sentencesPerSecond(), e.tokensPerSecond(),
                        e.speedupMedian(), e.speedupMin(), e.speedupMax()));
            }
            return out.toString();
        }

        /** The JSON document printed by {@code --json} and written to {@code embedding-speed.json}. */
        public Map<String, Object> summary() {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("answers", answers);
            tree.put("warmupRounds", warmupRounds);
            tree.put("rounds", rounds);
            tree.put("processors", processors);
            tree.put("jvm", jvm);
            tree.put("baseline", engines.getFirst().engine());
            tree.put("engines", engines);
            return tree;
        }

        public void write(Path dir) throws IOException {
            Files.createDirectories(dir);
            ReplayReport.writeJson(dir.resolve("embedding-speed.json"), summary());
        }
    }
}
