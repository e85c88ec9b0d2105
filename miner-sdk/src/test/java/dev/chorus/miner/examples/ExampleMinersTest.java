package dev.chorus.miner.examples;

import dev.chorus.miner.corpus.QaCorpus;
import dev.chorus.miner.corpus.QaPair;
import dev.chorus.miner.protocol.QueryRequest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExampleMinersTest {

    private static final QaCorpus CORPUS = QaCorpus.builtIn();

    private static QueryRequest ask(String prompt) {
        return ask("q", prompt);
    }

    private static QueryRequest ask(String queryId, String prompt) {
        return QueryRequest.qa(queryId, 1, prompt, System.currentTimeMillis() + 10_000);
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
    void constantMinerRepeatsWhatItIsGiven() throws Exception {
        ConstantMiner constant = new ConstantMiner("I do not know.");
        assertThat(constant.answer(ask("anything"))).isEqualTo("I do not know.");
    }

    @Test
    void copycatRepeatsTheAnswerItsRandomSourceGaveToTheSameQuery() throws Exception {
        AnswerRecorder source = new AnswerRecorder(new NoisyMiner(q -> "honest " + q.prompt(), CORPUS, 0.5, 3));
        CopycatMiner copycat = new CopycatMiner(source);
        List<String> given = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            given.add(source.answer(ask("q" + i, "same question")));
        }
        List<String> copied = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            copied.add(copycat.answer(ask("q" + i, "same question")));
        }

        assertThat(new HashSet<>(given)).as("the source is random, so asking it again would not copy it").hasSizeGreaterThan(5);
        assertThat(copied).isEqualTo(given);
    }

    @Test
    void copycatAskedFirstWaitsForTheSourcesAnswer() throws Exception {
        AnswerRecorder source = new AnswerRecorder(new NoisyMiner(q -> "honest", CORPUS, 0.5, 5));
        CompletableFuture<String> copied = new CompletableFuture<>();
        Thread asking = Thread.ofPlatform().start(() -> {
            try {
                copied.complete(new CopycatMiner(source).answer(ask("early", "x")));
            } catch (Exception e) {
                copied.completeExceptionally(e);
            }
        });
        // The source answers only once the copycat is waiting for it, so the wait itself is what is tested.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (asking.getState() != Thread.State.TIMED_WAITING && !copied.isDone()) {
            assertThat(System.nanoTime()).as("the copycat waiting").isLessThan(until);
            Thread.sleep(1);
        }
        assertThat(copied).as("asked before the source answered").isNotDone();

        String given = source.answer(ask("early", "x"));

        assertThat(copied.get(5, TimeUnit.SECONDS)).isEqualTo(given);
    }

    @Test
    void copycatFailsWhenItsSourceFailedOrNeverAnswered() throws Exception {
        AnswerRecorder source = new AnswerRecorder(q -> {
            throw new IllegalStateException("model down");
        });
        CopycatMiner copycat = new CopycatMiner(source);
        assertThatThrownBy(() -> source.answer(ask("failed", "x"))).hasMessage("model down");

        assertThatThrownBy(() -> copycat.answer(ask("failed", "x"))).hasMessageContaining("failed query failed")
                .hasRootCauseMessage("model down");
        QueryRequest unanswered = QueryRequest.qa("unanswered", 1, "x", System.currentTimeMillis() + 50);
        assertThatThrownBy(() -> copycat.answer(unanswered)).hasMessageContaining("no answer to query unanswered");
    }

    @Test
    void recorderForgetsAllButTheLastQueryIds() throws Exception {
        AnswerRecorder source = new AnswerRecorder(q -> "answer to " + q.queryId());
        for (int i = 0; i <= AnswerRecorder.REMEMBERED; i++) {
            source.answer(ask("q" + i, "x"));
        }

        assertThat(source.given("q1")).isCompletedWithValue("answer to q1");
        assertThat(source.given("q0")).as("the oldest id, one past the bound").isNotDone();
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
