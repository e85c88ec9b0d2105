/**
 * Runnable example miners: a knowledge base searched by embeddings, a forwarder to any
 * OpenAI-compatible chat endpoint, and simple or deliberately bad miners for demos and benchmarks.
 */
package dev.chorus.miner.examples;
