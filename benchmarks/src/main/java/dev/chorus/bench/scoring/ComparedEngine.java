package dev.chorus.bench.scoring;

import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.LongTextMode;
import dev.chorus.scoring.embedding.ModelVariant;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * An embedding engine the throughput benchmarks compare: ours with the validator's defaults, int8 or cut at 128 tokens,
 * or langchain4j's, fp32 and int8, with its own defaults (one text per ONNX run, texts spread over one thread per core).
 *
 * <p>langchain4j silently cuts every text at 128 tokens ([CLS] and [SEP] included: DJL applies the {@code max_length}
 * of the tokenizer.json it ships), so its engines read less of each long answer than ours. {@link #CHORUS_FP32_CUT128}
 * truncates there too, which puts both on the same work.
 */
public enum ComparedEngine {
    CHORUS_FP32,
    CHORUS_INT8,
    CHORUS_FP32_CUT128,
    LANGCHAIN4J_FP32,
    LANGCHAIN4J_INT8;

    /** The {@code max_length} of the tokenizer.json that langchain4j ships, [CLS] and [SEP] included. */
    static final int LANGCHAIN4J_MAX_TOKENS = 128;

    /** The name used on the command line, in JMH's {@code engine} parameter and in reports, e.g. {@code chorus-fp32}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The engine named {@code id}, or an error that lists the names there are. */
    public static ComparedEngine byId(String id) {
        return Arrays.stream(values()).filter(e -> e.id().equals(id.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Unknown engine '" + id.strip() + "'; use one of "
                        + Arrays.stream(values()).map(ComparedEngine::id).collect(Collectors.joining(", "))));
    }

    /** WordPiece tokens this engine reads of texts of {@code tokens} tokens each ([CLS] and [SEP] left out). */
    public long tokensRead(int[] tokens) {
        boolean cut = this != CHORUS_FP32 && this != CHORUS_INT8;
        return Arrays.stream(tokens).mapToLong(n -> cut ? Math.min(n, LANGCHAIN4J_MAX_TOKENS - 2) : n).sum();
    }

    /** Loads the engine; ours runs its batches on {@code batchRunner}, as the validator's engine runs on a pool. */
    public Running open(Executor batchRunner) {
        return switch (this) {
            case CHORUS_FP32 -> ours(EmbeddingOptions.defaults(), batchRunner);
            case CHORUS_INT8 -> ours(EmbeddingOptions.defaults().withVariant(ModelVariant.INT8), batchRunner);
            case CHORUS_FP32_CUT128 -> ours(EmbeddingOptions.defaults().withMaxTokens(LANGCHAIN4J_MAX_TOKENS)
                    .withLongText(LongTextMode.TRUNCATE), batchRunner);
            case LANGCHAIN4J_FP32 -> theirs(new AllMiniLmL6V2EmbeddingModel());
            case LANGCHAIN4J_INT8 -> theirs(new AllMiniLmL6V2QuantizedEmbeddingModel());
        };
    }

    private static Running ours(EmbeddingOptions options, Executor batchRunner) {
        OnnxEmbeddingModel model = OnnxEmbeddingModel.open(options, batchRunner);
        return new Running() {
            @Override
            public List<?> embedAll(List<String> texts) {
                return model.embed(texts);
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }

    /** langchain4j's models hold their ONNX session for the life of the class loader and have nothing to close. */
    private static Running theirs(EmbeddingModel model) {
        return texts -> model.embedAll(texts.stream().map(TextSegment::from).toList()).content();
    }

    /** A loaded engine. */
    public interface Running extends AutoCloseable {

        /** One embedding per text, in order. */
        List<?> embedAll(List<String> texts);

        @Override
        default void close() {
        }
    }
}
