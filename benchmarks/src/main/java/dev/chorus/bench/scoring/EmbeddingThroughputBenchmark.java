package dev.chorus.bench.scoring;

import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.ModelVariant;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sentences per second on the same 1,000 answers of 10 to 300 tokens: our engine against langchain4j's
 * {@code embedAll}, fp32 and int8, in one JVM. Each invocation embeds all 1,000 answers, and the score is
 * reported per answer, so "ops/s" reads as sentences per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 10)
@Measurement(iterations = 3, time = 10)
public class EmbeddingThroughputBenchmark {

    static final int ANSWERS = 1000;

    @Param({"chorus-fp32", "chorus-int8", "langchain4j-fp32", "langchain4j-int8"})
    public String engine;

    private List<String> answers;
    private List<TextSegment> segments;
    private OnnxEmbeddingModel ours;
    private EmbeddingModel theirs;

    @Setup(Level.Trial)
    public void setUp() {
        try (OnnxEmbeddingModel counter = OnnxEmbeddingModel.open(EmbeddingOptions.defaults()
                .withVariant(ModelVariant.INT8))) {
            answers = MixedAnswers.generate(ANSWERS, 10, 300, 42, counter::tokenCount);
        }
        segments = answers.stream().map(TextSegment::from).toList();
        switch (engine) {
            case "chorus-fp32" -> ours = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
            case "chorus-int8" -> ours = OnnxEmbeddingModel.open(EmbeddingOptions.defaults().withVariant(ModelVariant.INT8));
            case "langchain4j-fp32" -> theirs = new AllMiniLmL6V2EmbeddingModel();
            case "langchain4j-int8" -> theirs = new AllMiniLmL6V2QuantizedEmbeddingModel();
            default -> throw new IllegalArgumentException("Unknown engine " + engine);
        }
        int produced = ours != null ? ours.embed(answers).size() : theirs.embedAll(segments).content().size();
        if (produced != ANSWERS) {
            throw new IllegalStateException("Engine " + engine + " embedded " + produced + " of " + ANSWERS + " answers");
        }
    }

    @Benchmark
    @OperationsPerInvocation(ANSWERS)
    public Object embedAll() {
        return ours != null ? ours.embed(answers) : theirs.embedAll(segments).content();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (ours != null) {
            ours.close();
        }
    }
}
