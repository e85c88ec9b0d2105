package dev.chorus.config;

import java.util.List;

/**
 * The embedding engine.
 *
 * @param model          {@code fp32} (exact) or {@code int8} (quantized, faster)
 * @param provider       {@code cpu} or {@code cuda}; cuda falls back to cpu when it cannot load
 * @param intraOpThreads threads ONNX Runtime may use inside one inference; 0 lets it decide
 * @param batchSize      texts per inference call
 * @param batchTokens    padded tokens per inference call at most; keeps long windows in small, cache-friendly batches
 * @param maxTokens      tokens per window, at most 256 (the model's max_seq_length)
 * @param longText       {@code chunk} (embed every window and average) or {@code truncate} (cut, as sentence-transformers)
 * @param maxWindows     windows embedded per text in chunk mode at most, bounding the cost of a huge answer
 * @param cudaDevice     GPU ordinal used when the provider is cuda
 * @param parallelBatches batches of one call embedded at once on the CPU; 0 = one per core, divided by
 *                       intraOpThreads (1 when that is 0, or on cuda, where one run already fills the device)
 */
public record EmbeddingSettings(String model, String provider, int intraOpThreads, int batchSize, int batchTokens,
                                int maxTokens, String longText, int maxWindows, int cudaDevice, int parallelBatches)
        implements Settings {

    public static EmbeddingSettings defaults() {
        return new EmbeddingSettings("fp32", "cpu", 1, 32, 512, 256, "chunk", 64, 0, 0);
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        Checks.oneOf(prefix + "model", model, List.of("fp32", "int8"), problems);
        Checks.oneOf(prefix + "provider", provider, List.of("cpu", "cuda"), problems);
        Checks.range(prefix + "intra_op_threads", intraOpThreads, 0, 1024, problems);
        Checks.range(prefix + "batch_size", batchSize, 1, 4096, problems);
        Checks.range(prefix + "max_tokens", maxTokens, 8, 256, problems);
        Checks.range(prefix + "batch_tokens", batchTokens, 256, 1 << 20, problems);
        Checks.oneOf(prefix + "long_text", longText, List.of("chunk", "truncate"), problems);
        Checks.range(prefix + "max_windows", maxWindows, 1, 4096, problems);
        Checks.range(prefix + "cuda_device", cudaDevice, 0, 64, problems);
        Checks.range(prefix + "parallel_batches", parallelBatches, 0, 1024, problems);
    }
}
