package dev.chorus.bench.scenario;

import dev.chorus.bench.metrics.MinerClass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** The miner kinds of the simulation and the population a {@link ScenarioSpec} asks for. */
public final class SimulatedMiners {

    private SimulatedMiners() {
    }

    /**
     * The miners in uid order: honest, noisy, copycats, colluders, lazy, padders, openers (the last two after the
     * others, so adding them leaves every other miner's uid and random draws as they were). Noisy miners' qualities
     * are spread evenly over [0.1, 0.4]; each round a copycat, padder or opener copies an honest miner picked at random.
     */
    public static List<SimulatedMiner> population(ScenarioSpec spec, QaCorpus corpus) {
        List<SimulatedMiner> miners = new ArrayList<>();
        List<Honest> honest = new ArrayList<>();
        for (int i = 0; i < spec.honest(); i++) {
            Honest h = new Honest(i);
            honest.add(h);
            miners.add(h);
        }
        for (int i = 0; i < spec.noisy(); i++) {
            double quality = spec.noisy() == 1 ? 0.25 : 0.1 + 0.3 * i / (spec.noisy() - 1);
            miners.add(new Noisy(spec.honest() + i, quality, corpus));
        }
        for (int i = 0; i < spec.copycats(); i++) {
            miners.add(new Copycat(List.copyOf(honest)));
        }
        for (int i = 0; i < spec.colluders(); i++) {
            miners.add(new Colluder(corpus));
        }
        for (int i = 0; i < spec.lazy(); i++) {
            miners.add(new Lazy(i % 2 == 0 ? "" : "I don't know."));
        }
        for (int i = 0; i < spec.padders(); i++) {
            miners.add(new Padder(List.copyOf(honest), corpus));
        }
        for (int i = 0; i < spec.openers(); i++) {
            miners.add(new Opener(List.copyOf(honest)));
        }
        return miners;
    }

    /** Answers every question correctly in its own phrasing. */
    public record Honest(int phrasing) implements SimulatedMiner {
        @Override
        public MinerClass minerClass() {
            return MinerClass.HONEST;
        }

        @Override
        public double quality() {
            return 1;
        }

        @Override
        public String answer(QaPair question, SplittableRandom random) {
            return question.answer(phrasing);
        }

        @Override
        public long latencyMs(QaPair question, SplittableRandom random) {
            return 300 + random.nextInt(1_200);
        }
    }

    /** A degraded knowledge base: right with probability {@code quality}, else an unrelated passage. */
    public record Noisy(int phrasing, double quality, QaCorpus corpus) implements SimulatedMiner {
        @Override
        public MinerClass minerClass() {
            return MinerClass.NOISY;
        }

        @Override
        public String answer(QaPair question, SplittableRandom random) {
            if (random.nextDouble() < quality) {
                return question.answer(phrasing);
            }
            int at = corpus.indexOf(question);
            return corpus.get(at + 1 + random.nextInt(corpus.size() - 1)).answer(phrasing);
        }

        @Override
        public long latencyMs(QaPair question, SplittableRandom random) {
            return 300 + random.nextInt(1_200);
        }
    }

    /** Returns the answer of an honest miner picked at random, after waiting for it. */
    public record Copycat(List<Honest> targets) implements SimulatedMiner {
        @Override
        public MinerClass minerClass() {
            return MinerClass.COPYCAT;
        }

        @Override
        public double quality() {
            return 0;
        }

        @Override
        public String answer(QaPair question, SplittableRandom random) {
            return targets.get(random.nextInt(targets.size())).answer(question, random);
        }

        @Override
        public long latencyMs(QaPair question, SplittableRandom random) {
            return 1_500 + random.nextInt(500);
        }
    }

    /** One of a block that all answer with the same wrong passage: the answer to the question after this one. */
    public record Colluder(QaCorpus corpus) implements SimulatedMiner {
        @Override
        public MinerClass minerClass() {
            return MinerClass.COLLUDER;
        }

        @Override
        public double quality() {
            return 0;
        }

        @Override
        public String answer(QaPair question, SplittableRandom random) {
            return corpus.get(corpus.indexOf(question) + 1).answer(0);
        }

        @Override
        public long latencyMs(QaPair question, SplittableRandom random) {
            return 150 + random.nextInt(300);
        }
    }

    /** Answers every question with the same text, possibly empty. */
    public record Lazy(String text) implements SimulatedMiner {
        @Override
        public MinerClass minerClass() {
            return MinerClass.LAZY;
        }

        @Override
        public double quality() {
            return 0;
        }

        @Override
        public String answer(QaPair question, SplittableRandom random) {
            return text;
        }

        @Override
        public long latencyMs(QaPair question, SplittableRandom random) {
            return 50 + random.nextInt(100);
        }
    }

    /**
     * Returns the answer of an honest miner picked at random, after waiting for it, followed by one statement on
     * another question: the scorer sees the honest answer as a copied opening and judges only that statement.
     */
    public record Padder(List<Honest> targets, QaCorpus corpus) implements SimulatedMiner {
        @Override
        public MinerClass minerClass() {
            return MinerClass.PADDER;
        }

        @Override
        public double quality() {
            return 0;
        }

        @Override
        public String answer(QaPair question, SplittableRandom random) {
            String copied = targets.get(random.nextInt(targets.size())).answer(question, random);
            QaPair other = corpus.get(corpus.indexOf(question) + 1 + random.nextInt(corpus.size() - 1));
            return copied + " " + other.details().get(random.nextInt(other.details().size()));
        }

        @Override
        public long latencyMs(QaPair question, SplittableRandom random) {
            return 1_500 + random.nextInt(500);
        }
    }

    /**
     * Sends the first {@link #WORDS} words of an honest miner's answer, picked at random, before any honest miner
     * answers: every honest answer that opens with those words is then judged without them.
     */
    public record Opener(List<Honest> targets) implements SimulatedMiner {

        /** More than the scorer's {@code min_copy_words} (8), fewer than the shortest correct answer (12). */
        public static final int WORDS = 10;

        @Override
        public MinerClass minerClass() {
            return MinerClass.OPENER;
        }

        @Override
        public double quality() {
            return 0;
        }

        @Override
        public String answer(QaPair question, SplittableRandom random) {
            String[] words = targets.get(random.nextInt(targets.size())).answer(question, random).split(" ");
            return String.join(" ", Arrays.copyOf(words, Math.min(WORDS, words.length)));
        }

        @Override
        public long latencyMs(QaPair question, SplittableRandom random) {
            return 100 + random.nextInt(150);
        }
    }
}
