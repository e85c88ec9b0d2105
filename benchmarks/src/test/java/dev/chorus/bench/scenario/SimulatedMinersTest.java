package dev.chorus.bench.scenario;

import dev.chorus.bench.metrics.MinerClass;
import dev.chorus.config.ValidatorConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatedMinersTest {

    private final QaCorpus corpus = QaCorpus.bundled();
    private final List<SimulatedMiner> miners = SimulatedMiners.population(ScenarioSpec.defaults(), corpus);

    @Test
    void populationFollowsTheSpecInUidOrder() {
        assertThat(miners).hasSize(22);
        assertThat(miners.subList(0, 8)).allMatch(m -> m.minerClass() == MinerClass.HONEST && m.quality() == 1);
        assertThat(miners.subList(8, 12)).extracting(SimulatedMiner::quality).containsExactly(0.1, 0.2, 0.3, 0.4);
        assertThat(miners.subList(12, 22)).allMatch(m -> m.quality() == 0 && m.minerClass().cheating());
    }

    @Test
    void colludersAgreeOnAWrongAnswerAndCopycatsAnswerLater() {
        QaPair question = corpus.get(3);
        SplittableRandom random = new SplittableRandom(1);
        String colluder = miners.get(15).answer(question, random);
        assertThat(miners.subList(15, 20)).allMatch(m -> m.answer(question, new SplittableRandom(9)).equals(colluder));
        assertThat(colluder).isNotIn(answers(question));
        assertThat(miners.get(12).answer(question, new SplittableRandom(2))).isIn(answers(question));
        assertThat(miners.get(12).latencyMs(question, new SplittableRandom(2))).isGreaterThanOrEqualTo(1_500);
        assertThat(miners.get(0).latencyMs(question, new SplittableRandom(2))).isLessThan(1_500);
    }

    @Test
    void noisyMinerIsRightAboutAsOftenAsItsQuality() {
        SimulatedMiner noisy = miners.get(11);
        QaPair question = corpus.get(0);
        SplittableRandom random = new SplittableRandom(5);
        int right = 0;
        for (int i = 0; i < 2_000; i++) {
            right += question.details().stream().anyMatch(noisy.answer(question, random)::contains) ? 1 : 0;
        }
        assertThat(right / 2_000.0).isBetween(0.35, 0.45);
    }

    @Test
    void paddersAndOpenersComeLastAndLeaveTheOtherMinersAsTheyWere() {
        ScenarioSpec d = ScenarioSpec.defaults();
        List<SimulatedMiner> withThem = SimulatedMiners.population(new ScenarioSpec(d.honest(), d.noisy(), d.copycats(),
                d.colluders(), d.lazy(), 2, 3, d.validators(), d.rounds(), d.tempoRounds(), d.seed()), corpus);
        assertThat(withThem).hasSize(27);
        assertThat(withThem.subList(0, 22)).isEqualTo(miners);
        assertThat(withThem.subList(22, 27)).extracting(SimulatedMiner::minerClass).containsExactly(MinerClass.PADDER,
                MinerClass.PADDER, MinerClass.OPENER, MinerClass.OPENER, MinerClass.OPENER);
        assertThat(withThem.subList(22, 27)).allMatch(m -> m.quality() == 0 && m.minerClass().cheating());
    }

    @Test
    void aPadderSendsAnHonestAnswerThenAStatementOnAnotherQuestionAfterTheHonestMiners() {
        SimulatedMiner padder = new SimulatedMiners.Padder(honest(), corpus);
        for (int seed = 0; seed < 200; seed++) {
            QaPair question = corpus.get(seed);
            String answer = padder.answer(question, new SplittableRandom(seed));
            String copied = answers(question).stream().filter(a -> answer.startsWith(a + " ")).findFirst().orElseThrow(
                    () -> new AssertionError("opens with no honest answer: " + answer));
            String added = answer.substring(copied.length() + 1);
            assertThat(question.details()).doesNotContain(added);
            assertThat(corpus.pairs()).anyMatch(other -> other != question && other.details().contains(added));
            assertThat(padder.latencyMs(question, new SplittableRandom(seed))).isBetween(1_500L, 1_999L);
        }
    }

    @Test
    void anOpenerSendsTheFirstTenWordsOfAnHonestAnswerBeforeAnyHonestMiner() {
        SimulatedMiner opener = new SimulatedMiners.Opener(honest());
        for (int seed = 0; seed < 200; seed++) {
            QaPair question = corpus.get(seed);
            String answer = opener.answer(question, new SplittableRandom(seed));
            assertThat(answer.split(" ")).hasSize(SimulatedMiners.Opener.WORDS);
            assertThat(answers(question)).as("an honest answer it is the strict opening of")
                    .anyMatch(a -> a.startsWith(answer + " "));
            assertThat(opener.latencyMs(question, new SplittableRandom(seed))).isBetween(100L, 249L);
        }
    }

    @Test
    void everyCorrectAnswerIsLongerThanAnOpeningAndTheOpeningLongEnoughToBeSetAside() {
        for (QaPair question : corpus.pairs()) {
            for (int k = 0; k < QaPair.phrasings(); k++) {
                assertThat(question.answer(k).split(" ").length).as("%s phrasing %d", question.id(), k)
                        .isGreaterThan(SimulatedMiners.Opener.WORDS);
            }
        }
        assertThat(SimulatedMiners.Opener.WORDS).isGreaterThanOrEqualTo(
                ValidatorConfig.defaults().scoring().minCopyWords());
    }

    private List<SimulatedMiners.Honest> honest() {
        return miners.subList(0, 8).stream().map(SimulatedMiners.Honest.class::cast).toList();
    }

    private List<String> answers(QaPair question) {
        return miners.subList(0, 8).stream().map(m -> m.answer(question, new SplittableRandom(0))).toList();
    }
}
