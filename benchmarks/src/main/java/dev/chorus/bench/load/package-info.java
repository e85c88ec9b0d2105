/**
 * Load benchmarks on loopback: one real validator against hundreds of miner-SDK servers (in a child process) with a
 * seeded latency and failure script, and one miner server under concurrent signed load.
 */
package dev.chorus.bench.load;
