/**
 * JMH benchmarks of scoring: embedding throughput of our ONNX engine against langchain4j's in the same JVM, and
 * the consensus scorer's cost per round with embeddings precomputed.
 */
package dev.chorus.bench.scoring;
