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

    /** How long it takes to answer, in whole milliseconds. */
    long latencyMs(QaPair question, SplittableRandom random);

    /**
     * Its latency and answer for one (validator, round) random source, drawn in a fixed order so that the same
     * source gives the same reply in-process and over HTTP.
     */
    default Reply reply(QaPair question, SplittableRandom random) {
        long latency = latencyMs(question, random);
        return new Reply(answer(question, random), latency);
    }

    /** One answer and how long the miner takes to give it. */
    record Reply(String text, long latencyMs) {
    }
}
