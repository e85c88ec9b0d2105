package dev.chorus.bench.scoring;

import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.LongTextMode;
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
 * against langchain4j's {@code embedAll}, fp32 and int8, in one JMH run (a fork per engine, so none inherits another's
 * JIT profile or native memory). One invocation embeds every answer, so
 * sentences per second = {@code answers} / score. The work is native and long, so JIT warm-up hardly matters.
 *
 * <p>langchain4j silently cuts every text at 128 tokens, so its engines do less work than ours, which embeds every
 * token. {@code chorus-fp32-cut128} truncates at 128 tokens as well, which puts both on the same work.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
public class EmbeddingThroughputBenchmark {

    /** The {@code max_length} of the tokenizer.json that langchain4j ships, [CLS] and [SEP] included. */
    private static final int LANGCHAIN4J_MAX_TOKENS = 128;

    @Param({"chorus-fp32", "chorus-int8", "chorus-fp32-cut128", "langchain4j-fp32", "langchain4j-int8"})
    public String engine;

    @Param({"1000"})
    public int answers;

    private List<String> texts;
    private List<TextSegment> segments;
    private OnnxEmbeddingModel ours;
    private EmbeddingModel theirs;
    /** Our batches run on one thread per core, as langchain4j spreads its texts over one thread per core. */
    private ExecutorService batchRunner;

    @Setup(Level.Trial)
    public void setUp() {
        try (OnnxEmbeddingModel counter = OnnxEmbeddingModel.open(EmbeddingOptions.defaults()
                .withVariant(ModelVariant.INT8))) {
            texts = MixedAnswers.generate(answers, 10, 300, 42, counter::tokenCount);
        }
        segments = texts.stream().map(TextSegment::from).toList();
        batchRunner = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        switch (engine) {
            case "chorus-fp32" -> ours = OnnxEmbeddingModel.open(EmbeddingOptions.defaults(), batchRunner);
            case "chorus-int8" -> ours = OnnxEmbeddingModel.open(EmbeddingOptions.defaults()
                    .withVariant(ModelVariant.INT8), batchRunner);
            case "chorus-fp32-cut128" -> ours = OnnxEmbeddingModel.open(EmbeddingOptions.defaults()
                    .withMaxTokens(LANGCHAIN4J_MAX_TOKENS).withLongText(LongTextMode.TRUNCATE), batchRunner);
            case "langchain4j-fp32" -> theirs = new AllMiniLmL6V2EmbeddingModel();
            case "langchain4j-int8" -> theirs = new AllMiniLmL6V2QuantizedEmbeddingModel();
            default -> throw new IllegalArgumentException("Unknown engine " + engine);
        }
        int produced = ours != null ? ours.embed(texts).size() : theirs.embedAll(segments).content().size();
        if (produced != answers) {
            throw new IllegalStateException("Engine " + engine + " embedded " + produced + " of " + answers + " answers");
        }
    }

    @Benchmark
    public Object embedAll() {
        return ours != null ? ours.embed(texts) : theirs.embedAll(segments).content();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (ours != null) {
            ours.close();
        }
        batchRunner.shutdown();
    }
}
