package dev.chorus.scoring.embedding;

import java.util.List;

/**
 * Turns texts into unit-length sentence embeddings. Implementations are thread-safe and blocking:
 * call them from a worker thread, never from an event loop.
 */
public interface EmbeddingModel extends AutoCloseable {

    /** One L2-normalized vector per text, in input order; a blank text never throws. */
    List<float[]> embed(List<String> texts);

    int dimension();

    /**
     * How to compare this model's vectors fastest: a model on a native runtime multiplies them there, on the same
     * device. The default computes them in Java.
     */
    default DotProducts dotProducts() {
        return JavaDotProducts.INSTANCE;
    }

    @Override
    void close();
}
