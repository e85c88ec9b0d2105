package dev.chorus.validator.testing;

import dev.chorus.scoring.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Every text the same vector: for tests about threads, tallies or uids rather than scores, where a real model would
 * slow every round down to its own pace.
 */
public final class FlatEmbeddingModel implements EmbeddingModel {

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            vectors.add(new float[] {1, 0});
        }
        return vectors;
    }

    @Override
    public int dimension() {
        return 2;
    }

    @Override
    public void close() {
    }
}
