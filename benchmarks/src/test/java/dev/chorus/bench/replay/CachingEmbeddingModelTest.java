package dev.chorus.bench.replay;

import dev.chorus.scoring.embedding.DotProducts;
import dev.chorus.scoring.embedding.EmbeddingModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CachingEmbeddingModelTest {

    /** Embeds a text as its length, and records every batch it is asked for. */
    private static final class CountingModel implements EmbeddingModel {
        final List<List<String>> batches = new ArrayList<>();
        final DotProducts products = (rows, columns) -> new double[rows.length][columns.length];

        @Override
        public DotProducts dotProducts() {
            return products;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            batches.add(List.copyOf(texts));
            return texts.stream().map(t -> new float[] {t.length()}).toList();
        }

        @Override
        public int dimension() {
            return 1;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void embedsEachMissingTextOnceAndForgetsTheLeastRecentlyUsedPastItsCapacity() {
        CountingModel model = new CountingModel();
        CachingEmbeddingModel cache = new CachingEmbeddingModel(model, 2);

        assertThat(cache.embed(List.of("a", "bb", "a"))).extracting(v -> v[0]).containsExactly(1f, 2f, 1f);
        assertThat(model.batches).containsExactly(List.of("a", "bb"));

        cache.embed(List.of("a"));
        cache.embed(List.of("ccc"));
        assertThat(model.batches).as("a was used last, so bb made room").containsExactly(
                List.of("a", "bb"), List.of("ccc"));
        assertThat(cache.size()).isEqualTo(2);

        cache.embed(List.of("a", "bb"));
        assertThat(model.batches.get(2)).containsExactly("bb");
    }

    @Test
    void productsAreTheWrappedModelsSoAReplayComputesThemAsTheLiveValidatorDid() {
        CountingModel model = new CountingModel();
        assertThat(new CachingEmbeddingModel(model).dotProducts()).isSameAs(model.products);
    }
}
