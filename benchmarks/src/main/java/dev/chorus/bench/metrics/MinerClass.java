package dev.chorus.bench.metrics;

import java.util.Locale;

/** The kinds of simulated miner, by the name used in truth files and reports. */
public enum MinerClass {
    /** Answers from a good knowledge base. */
    HONEST(false),
    /** Answers from a degraded knowledge base: often right, sometimes an unrelated passage. */
    NOISY(false),
    /** Returns an honest miner's answer, a little later. */
    COPYCAT(true),
    /** One of a block that all return the same wrong answer. */
    COLLUDER(true),
    /** Returns an empty or constant answer. */
    LAZY(true),
    /** Returns an honest miner's answer, later, followed by a sentence of its own that does not answer the question. */
    PADDER(true),
    /** Sends the first words of an honest miner's answer before it, so that answer is judged without them. */
    OPENER(true);

    private final boolean cheating;

    MinerClass(boolean cheating) {
        this.cheating = cheating;
    }

    /** Whether the class earns without contributing an answer of its own: what a scoring rule must starve. */
    public boolean cheating() {
        return cheating;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
