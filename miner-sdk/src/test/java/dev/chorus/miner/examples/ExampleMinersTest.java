package dev.chorus.miner.examples;

import dev.chorus.miner.corpus.QaCorpus;
import dev.chorus.miner.corpus.QaPair;
import dev.chorus.miner.protocol.QueryRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExampleMinersTest {

    private static final QaCorpus CORPUS = QaCorpus.builtIn();

    private static QueryRequest ask(String prompt) {
        return QueryRequest.qa("q", 1, prompt, System.currentTimeMillis() + 10_000);
    }

    @Test
    void knowledgeBaseAnswersWithTheClosestQuestionsReference() {
        KnowledgeBaseMiner miner = new KnowledgeBaseMiner(CORPUS, new WordBagEmbeddingModel());
        QaPair everest = CORPUS.pairs().stream().filter(p -> p.question().contains("highest mountain")).findFirst()
                .orElseThrow();

        assertThat(miner.answer(ask("Which mountain is the highest above sea level on Earth?")))
                .isEqualTo(everest.answer());
        assertThat(miner.closest(everest.question()).similarity()).isGreaterThan(0.99);
    }

    @Test
    void constantAndCopycatMinersRepeatWhatTheyAreGiven() throws Exception {
        ConstantMiner constant = new ConstantMiner("I do not know.");
        assertThat(constant.answer(ask("anything"))).isEqualTo("I do not know.");
        assertThat(new CopycatMiner(q -> "copied " + q.prompt()).answer(ask("x"))).isEqualTo("copied x");
    }

    @Test
    void slowMinerTakesAtLeastItsDelay() throws Exception {
        long start = System.nanoTime();
        assertThat(new SlowMiner(new ConstantMiner("late"), Duration.ofMillis(120)).answer(ask("x"))).isEqualTo("late");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
    }

    @Test
    void noisyMinerIsWrongAtItsRateAndRepeatableBySeed() throws Exception {
        List<String> first = noisyRun(0.3, 42);
        List<String> again = noisyRun(0.3, 42);
        long wrong = first.stream().filter(a -> !a.equals("honest")).count();

        assertThat(first).isEqualTo(again);
        assertThat(wrong).isBetween(240L, 360L);
        assertThat(noisyRun(0.0, 1)).containsOnly("honest");
        Set<String> answers = CORPUS.pairs().stream().map(QaPair::answer).collect(Collectors.toSet());
        assertThat(noisyRun(1.0, 1)).allMatch(answers::contains);
    }

    @Test
    void noisyMinerRefusesAnImpossibleRate() {
        assertThatThrownBy(() -> new NoisyMiner(q -> "x", CORPUS, 1.5, 1)).hasMessageContaining("0..1");
    }

    private static List<String> noisyRun(double rate, long seed) throws Exception {
        NoisyMiner miner = new NoisyMiner(q -> "honest", CORPUS, rate, seed);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            answers.add(miner.answer(ask("q" + i)));
        }
        return answers;
    }
}
