package dev.chorus.bench.scoring;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Time to embed the same answers of 10 to 300 tokens (1,000 by default, lengths spread evenly): our engine
 * against langchain4j's {@code embedAll}, fp32 and int8 (see {@link ComparedEngine}), in one JMH run with a fork per
 * engine, so none inherits another's JIT profile or native memory. {@link EmbeddingSpeedComparison} runs the same
 * engines on the same answers in one process instead, taking turns. One invocation embeds every answer, so
 * sentences per second = {@code answers} / score. The work is native and long, so JIT warm-up hardly matters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class EmbeddingThroughputBenchmark {

    @Param({"chorus-fp32", "chorus-int8", "chorus-fp32-cut128", "langchain4j-fp32", "langchain4j-int8"})
    public String engine;

    @Param({"1000"})
    public int answers;

    private List<String> texts;
    private ComparedEngine.Running running;
    /** Our batches run on one thread per core, as langchain4j spreads its texts over one thread per core. */
    private ExecutorService batchRunner;

    @Setup(Level.Trial)
    public void setUp() {
        texts = MixedAnswers.throughputSet(answers).texts();
        batchRunner = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        running = ComparedEngine.byId(engine).open(batchRunner);
        int produced = running.embedAll(texts).size();
        if (produced != answers) {
            throw new IllegalStateException("Engine " + engine + " embedded " + produced + " of " + answers + " answers");
        }
    }

    @Benchmark
    public Object embedAll() {
        return running.embedAll(texts);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        running.close();
        batchRunner.shutdown();
    }
}
