package dev.chorus.scoring.embedding;

import dev.chorus.config.EmbeddingSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tunables of {@link OnnxEmbeddingModel}, typed. Operators set them through the config module's
 * {@link EmbeddingSettings}; {@link #from} converts, and {@link #defaults()} are the config defaults.
 *
 * @param variant        which model build runs: FP32 (reference accuracy) or INT8 (faster, slightly different)
 * @param maxTokens      sequence limit per window, including [CLS] and [SEP]; sentence-transformers uses 256
 * @param longText       what happens to texts longer than {@code maxTokens}
 * @param maxWindows     cap on windows per text in CHUNK mode, bounding the cost of a huge payload
 * @param batchSize      sequences per ONNX run at most; larger batches amortise overhead but pad more
 * @param batchTokens    padded tokens per ONNX run at most (rows x longest row): keeps a run's activations in the
 *                       CPU caches, so long windows go in small batches and short texts in large ones
 * @param intraOpThreads ONNX Runtime intra-op threads; 0 lets ONNX Runtime pick (one per physical core)
 * @param provider       CPU, or CUDA with fallback to CPU when the CUDA provider cannot load
 * @param cudaDevice     GPU ordinal used when {@code provider} is CUDA
 * @param parallelBatches batches of one call run at once; 0 = automatic, see {@link #batchLanes}
 */
public record EmbeddingOptions(
        ModelVariant variant,
        int maxTokens,
        LongTextMode longText,
        int maxWindows,
        int batchSize,
        int batchTokens,
        int intraOpThreads,
        ExecutionProvider provider,
        int cudaDevice,
        int parallelBatches) {

    /** BERT's position table has 512 rows; a longer window cannot be embedded. */
    public static final int MODEL_POSITION_LIMIT = 512;

    public static EmbeddingOptions defaults() {
        return from(EmbeddingSettings.defaults());
    }

    /** Converts validated settings ({@code fp32}/{@code int8}, {@code cpu}/{@code cuda}, {@code chunk}/{@code truncate}). */
    public static EmbeddingOptions from(EmbeddingSettings s) {
        return new EmbeddingOptions(ModelVariant.valueOf(s.model().toUpperCase(Locale.ROOT)), s.maxTokens(),
                LongTextMode.valueOf(s.longText().toUpperCase(Locale.ROOT)), s.maxWindows(), s.batchSize(),
                s.batchTokens(), s.intraOpThreads(), ExecutionProvider.valueOf(s.provider().toUpperCase(Locale.ROOT)), s.cudaDevice(),
                s.parallelBatches());
    }

    public EmbeddingOptions withVariant(ModelVariant v) {
        return new EmbeddingOptions(v, maxTokens, longText, maxWindows, batchSize, batchTokens, intraOpThreads, provider,
                cudaDevice, parallelBatches);
    }

    public EmbeddingOptions withMaxTokens(int n) {
        return new EmbeddingOptions(variant, n, longText, maxWindows, batchSize, batchTokens, intraOpThreads, provider,
                cudaDevice, parallelBatches);
    }

    public EmbeddingOptions withLongText(LongTextMode m) {
        return new EmbeddingOptions(variant, maxTokens, m, maxWindows, batchSize, batchTokens, intraOpThreads, provider,
                cudaDevice, parallelBatches);
    }

    public EmbeddingOptions withBatchSize(int n) {
        return new EmbeddingOptions(variant, maxTokens, longText, maxWindows, n, batchTokens, intraOpThreads, provider,
                cudaDevice, parallelBatches);
    }

    public EmbeddingOptions withBatchTokens(int n) {
        return new EmbeddingOptions(variant, maxTokens, longText, maxWindows, batchSize, n, intraOpThreads, provider,
                cudaDevice, parallelBatches);
    }

    public EmbeddingOptions withIntraOpThreads(int n) {
        return new EmbeddingOptions(variant, maxTokens, longText, maxWindows, batchSize, batchTokens, n, provider,
                cudaDevice, parallelBatches);
    }

    public EmbeddingOptions withParallelBatches(int n) {
        return new EmbeddingOptions(variant, maxTokens, longText, maxWindows, batchSize, batchTokens, intraOpThreads,
                provider, cudaDevice, n);
    }

    /**
     * How many batches of one call run at once. Automatic: one per core, each on {@code intraOpThreads} threads. One
     * intra-op thread per run with runs side by side beats one run spread over the cores, whose per-operator barriers
     * stall on a busy machine (benchmarks/README.md). With ONNX Runtime choosing its own threads, or on CUDA, one run
     * already takes the hardware, so the batches go one after another.
     */
    public int batchLanes(int processors) {
        if (parallelBatches > 0) {
            return parallelBatches;
        }
        if (intraOpThreads == 0 || provider == ExecutionProvider.CUDA) {
            return 1;
        }
        return Math.max(1, processors / intraOpThreads);
    }

    public EmbeddingOptions withProvider(ExecutionProvider p, int device) {
        return new EmbeddingOptions(variant, maxTokens, longText, maxWindows, batchSize, batchTokens, intraOpThreads, p,
                device, parallelBatches);
    }

    /** Every problem with these options, each a sentence saying how to fix it; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (variant == null) problems.add("embedding model variant is missing: use fp32 or int8");
        if (longText == null) problems.add("long-text mode is missing: use chunk or truncate");
        if (provider == null) problems.add("execution provider is missing: use cpu or cuda");
        if (maxTokens < 3 || maxTokens > MODEL_POSITION_LIMIT) {
            problems.add("max tokens is " + maxTokens + ": it must be between 3 and " + MODEL_POSITION_LIMIT
                    + " (256 matches sentence-transformers)");
        }
        if (maxWindows < 1) problems.add("max windows is " + maxWindows + ": it must be at least 1");
        if (batchSize < 1) problems.add("batch size is " + batchSize + ": it must be at least 1 (32 is a good start)");
        if (batchTokens < maxTokens) {
            problems.add("batch tokens is " + batchTokens + ": it must be at least max tokens (" + maxTokens
                    + ") so that the longest window fits in a run");
        }
        if (intraOpThreads < 0) problems.add("intra-op threads is " + intraOpThreads + ": use 0 for automatic or a positive count");
        if (cudaDevice < 0) problems.add("CUDA device is " + cudaDevice + ": it must be 0 or more");
        if (parallelBatches < 0) {
            problems.add("parallel batches is " + parallelBatches + ": use 0 for automatic or a positive count");
        }
        return problems;
    }

    /** Throws {@link IllegalArgumentException} listing every problem, or returns these options. */
    public EmbeddingOptions validate() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid embedding options: " + String.join("; ", problems));
        }
        return this;
    }
}
