package dev.chorus.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Penalty;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.consensus.RoundScores;
import dev.chorus.validator.state.RoundRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The weight-copying attack through the replay's Yuma: a copier that reads the chain keeps pace with the
 * validators it copies while commit-reveal is off, and falls behind when the best miner changes and it can only
 * copy rows revealed epochs later.
 */
class WeightCopyingTest {

    /** Reward 1 for the answer "good", 0 for anything else: the rule under study does not matter here. */
    private static final BenchScorer GOOD_IS_ONE = new BenchScorer() {
        @Override
        public String name() {
            return "good-is-one";
        }

        @Override
        public RoundScores score(Round round) {
            List<MinerScore> scores = new ArrayList<>();
            for (RoundAnswer a : round.answers()) {
                double reward = "good".equals(a.text()) ? 1 : 0;
                scores.add(new MinerScore(a.uid(), reward, reward, reward, Double.NaN, 1, -1, Set.<Penalty>of()));
            }
            return new RoundScores(scores, new float[0], Double.NaN, 0);
        }
    };

    /** Four miners; the good one moves to the next uid every {@code phase} rounds, so weights keep changing. */
    private static List<RoundRecord> shiftingLog(int rounds, int phase) {
        List<RoundRecord> log = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            int good = (r / phase) % 4;
            List<RoundRecord.MinerRecord> miners = new ArrayList<>();
            for (int uid = 0; uid < 4; uid++) {
                miners.add(new RoundRecord.MinerRecord(uid, "miner-" + uid, uid == good ? "good" : "poor", null, null, 100,
                        0, uid == good ? 1 : 0));
            }
            log.add(new RoundRecord(r, r * 12_000L, r, "q" + r, "prompt", null, false, miners));
        }
        return log;
    }

    private static ReplayResult replay(boolean yuma3, int revealEpochs) {
        List<RoundRecord> log = shiftingLog(400, 40);
        ReplaySettings settings = ReplaySettings.defaults(3, 10, yuma3).withWeightCopying(1_000_000L, revealEpochs);
        return Replay.run(List.of(log, log, log), GOOD_IS_ONE, settings);
    }

    private static ValidatorOutcome copier(ReplayResult result) {
        return result.validators().stream().filter(ValidatorOutcome::copier).findFirst().orElseThrow();
    }

    @Test
    void withoutCommitRevealACopierEarnsWhatTheValidatorsItCopiesEarn() {
        for (boolean yuma3 : new boolean[] {false, true}) {
            ReplayResult result = replay(yuma3, 0);
            assertThat(result.validators()).hasSize(4);
            assertThat(result.validators().stream().mapToDouble(ValidatorOutcome::dividendShare).sum()).isCloseTo(1, within(1e-9));
            assertThat(copier(result).uid()).isEqualTo(7);
            assertThat(copier(result).relativeYield()).as("yuma3=" + yuma3).isCloseTo(1, within(0.02));
        }
    }

    @Test
    void commitRevealCostsTheCopierItsShareWhenTheBestMinerChanges() {
        for (boolean yuma3 : new boolean[] {false, true}) {
            double off = copier(replay(yuma3, 0)).relativeYield();
            double oneEpoch = copier(replay(yuma3, 1)).relativeYield();
            double twoEpochs = copier(replay(yuma3, 2)).relativeYield();
            assertThat(oneEpoch).as("yuma3=" + yuma3).isLessThan(off - 0.05);
            assertThat(twoEpochs).as("yuma3=" + yuma3).isLessThan(oneEpoch);
        }
    }

    @Test
    void theReplayingValidatorsAverageOneAndNoCopierMeansNoExtraUid() {
        ReplayResult plain = Replay.run(List.of(shiftingLog(100, 40)), GOOD_IS_ONE, ReplaySettings.defaults(1, 10, true));
        assertThat(plain.validators()).singleElement().satisfies(v -> {
            assertThat(v.copier()).isFalse();
            assertThat(v.uid()).isEqualTo(4);
            assertThat(v.relativeYield()).isCloseTo(1, within(1e-9));
        });
    }
}
