/**
 * Sentence embeddings for scoring: the {@link dev.chorus.scoring.embedding.EmbeddingModel} seam and its
 * ONNX Runtime implementation of all-MiniLM-L6-v2 with sentence-transformers semantics, and the
 * {@link dev.chorus.scoring.embedding.DotProducts} that compare embeddings, on the model's runtime or in Java.
 */
package dev.chorus.scoring.embedding;
