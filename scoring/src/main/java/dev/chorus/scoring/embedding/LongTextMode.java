package dev.chorus.scoring.embedding;

/** What happens to a text longer than the model's sequence limit. */
public enum LongTextMode {
    /**
     * Split into windows that each fit the limit, embed every window and average them weighted by token
     * count, so that no part of an answer escapes scoring, up to {@code embedding.max_windows} windows: past
     * them the rest is dropped, which bounds the cost of one huge answer.
     */
    CHUNK,
    /** Keep the first tokens only, exactly as sentence-transformers does with {@code max_seq_length}. */
    TRUNCATE
}
