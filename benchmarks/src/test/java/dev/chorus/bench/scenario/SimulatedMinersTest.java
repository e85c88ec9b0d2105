package dev.chorus.bench.scenario;

import dev.chorus.bench.metrics.MinerClass;
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

    private List<String> answers(QaPair question) {
        return miners.subList(0, 8).stream().map(m -> m.answer(question, new SplittableRandom(0))).toList();
    }
}
