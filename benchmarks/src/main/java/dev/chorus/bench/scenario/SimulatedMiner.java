package dev.chorus.bench.scenario;

import dev.chorus.bench.metrics.MinerClass;

import java.util.SplittableRandom;

/**
 * A miner of the simulated subnet, whose true quality the simulation knows. Pure: the answer depends only on the
 * question and the random source handed in, so runs are reproducible from their seed.
 */
public interface SimulatedMiner {

    MinerClass minerClass();

    /** True answer quality in [0, 1]: the share of its answers that are its own correct answers. */
    double quality();

    /** Its answer to {@code question}; {@code random} drives any chance in it. */
    String answer(QaPair question, SplittableRandom random);

    /** How long it takes to answer, in whole milliseconds, for rounds run in-process. */
    long latencyMs(QaPair question, SplittableRandom random);
}
