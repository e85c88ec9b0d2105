package dev.chorus.miner.examples;

import dev.chorus.miner.corpus.QaCorpus;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.Miner;

import java.util.SplittableRandom;

/**
 * A degraded miner: with probability {@code errorRate} it answers with the reference answer of a
 * random corpus entry instead of asking {@code honest}. Seeded, so a demo or benchmark is repeatable.
 */
public final class NoisyMiner implements Miner {

    private final Miner honest;
    private final QaCorpus corpus;
    private final double errorRate;
    private final SplittableRandom random;

    public NoisyMiner(Miner honest, QaCorpus corpus, double errorRate, long seed) {
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("errorRate must be within 0..1, got " + errorRate);
        }
        this.honest = honest;
        this.corpus = corpus;
        this.errorRate = errorRate;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public String answer(QueryRequest query) throws Exception {
        boolean wrong;
        int pick;
        synchronized (random) {
            wrong = random.nextDouble() < errorRate;
            pick = random.nextInt(corpus.size());
        }
        return wrong ? corpus.get(pick).answer() : honest.answer(query);
    }

    @Override
    public String model() {
        return "noisy(" + errorRate + ")";
    }
}
