/**
 * Organic-query benchmarks: whether a flood of consumers' questions slows the validator's synthetic rounds,
 * measured on a real local subnet (Anvil, miners on loopback, the real embedding model).
 */
package dev.chorus.bench.organic;
