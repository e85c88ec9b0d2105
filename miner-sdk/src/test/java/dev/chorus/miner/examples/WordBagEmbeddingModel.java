package dev.chorus.miner.examples;

import dev.chorus.scoring.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A fake embedding for unit tests of pure logic: hashed bag of lower-cased words, L2-normalised. */
final class WordBagEmbeddingModel implements EmbeddingModel {

    private static final int DIMENSION = 256;

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (String text : texts) {
            float[] v = new float[DIMENSION];
            for (String word : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
                if (word.length() > 2) {
                    v[Math.floorMod(word.hashCode(), DIMENSION)] += 1;
                }
            }
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            if (norm > 0) {
                for (int i = 0; i < v.length; i++) {
                    v[i] /= (float) Math.sqrt(norm);
                }
            }
            vectors.add(v);
        }
        return vectors;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public void close() {
    }
}
