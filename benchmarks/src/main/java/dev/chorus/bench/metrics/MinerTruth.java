package dev.chorus.bench.metrics;

/**
 * What a simulated miner really is, known only to the simulation.
 *
 * @param uid        its uid in the round log
 * @param minerClass honest, noisy, copycat, colluder, lazy, padder, opener, ...
 * @param quality    its true answer quality in [0, 1]
 */
public record MinerTruth(int uid, String minerClass, double quality) {
}
