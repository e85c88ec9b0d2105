package dev.chorus.bench.replay;

import dev.chorus.scoring.embedding.DotProducts;
import dev.chorus.scoring.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Remembers the embeddings of the texts it has seen most recently. Replays and simulations repeat the same answers
 * many times, and the model embeds only about a hundred sentences a second on a small machine. Misses of one call are
 * embedded together in one batch, outside the lock, so callers on several threads do not wait for each other's
 * batches. Closing it closes the model it wraps.
 */
public final class CachingEmbeddingModel implements EmbeddingModel {

    /**
     * Texts kept: about 200 MB of vectors and texts. A live validator's log holds hundreds of thousands of distinct
     * answers a day, and a cache that never forgets would run a week-long replay out of memory.
     */
    public static final int DEFAULT_CAPACITY = 100_000;

    private final EmbeddingModel model;
    private final Map<String, float[]> cache;

    public CachingEmbeddingModel(EmbeddingModel model) {
        this(model, DEFAULT_CAPACITY);
    }

    public CachingEmbeddingModel(EmbeddingModel model, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.model = model;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        Map<String, float[]> found = new LinkedHashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        synchronized (cache) {
            for (String text : texts) {
                float[] vector = cache.get(text);
                if (vector != null) {
                    found.put(text, vector);
                } else {
                    missing.add(text);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<String> batch = List.copyOf(missing);
            List<float[]> vectors = model.embed(batch);
            synchronized (cache) {
                for (int i = 0; i < batch.size(); i++) {
                    cache.put(batch.get(i), vectors.get(i));
                    found.put(batch.get(i), vectors.get(i));
                }
            }
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.add(found.get(text));
        }
        return out;
    }

    /** The wrapped model's, so that a replay computes its products as the live validator did. */
    @Override
    public DotProducts dotProducts() {
        return model.dotProducts();
    }

    /** How many texts are remembered now (at most the capacity). */
    public int size() {
        synchronized (cache) {
            return cache.size();
        }
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
