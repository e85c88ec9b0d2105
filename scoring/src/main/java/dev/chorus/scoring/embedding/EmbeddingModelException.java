package dev.chorus.scoring.embedding;

/** The embedding model could not be loaded or run; the message says what was wrong and how to fix it. */
public final class EmbeddingModelException extends RuntimeException {

    public EmbeddingModelException(String message) {
        super(message);
    }

    public EmbeddingModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
