package dev.chorus.bench.replay;

import dev.chorus.scoring.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the embedding of every text it has seen. Replays and simulations repeat the same answers many times,
 * and the model embeds only about a hundred sentences a second on a small machine. Misses of one call are embedded
 * together in one batch. Closing it closes the model it wraps.
 */
public final class CachingEmbeddingModel implements EmbeddingModel {

    private final EmbeddingModel model;
    private final Map<String, float[]> cache = new ConcurrentHashMap<>();

    public CachingEmbeddingModel(EmbeddingModel model) {
        this.model = model;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Set<String> missing = new LinkedHashSet<>();
        for (String text : texts) {
            if (!cache.containsKey(text)) {
                missing.add(text);
            }
        }
        if (!missing.isEmpty()) {
            List<String> batch = List.copyOf(missing);
            List<float[]> vectors = model.embed(batch);
            for (int i = 0; i < batch.size(); i++) {
                cache.put(batch.get(i), vectors.get(i));
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(cache.get(text));
        }
        return out;
    }

    /** How many distinct texts have been embedded. */
    public int size() {
        return cache.size();
    }

    @Override
    public int dimension() {
        return model.dimension();
    }

    @Override
    public void close() {
        model.close();
    }
}
