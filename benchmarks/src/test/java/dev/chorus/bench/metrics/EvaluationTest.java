package dev.chorus.bench.metrics;

import dev.chorus.bench.replay.MinerOutcome;
import dev.chorus.bench.replay.ReplayResult;
import dev.chorus.bench.replay.ReplaySettings;
import dev.chorus.bench.scenario.Acceptance;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EvaluationTest {

    private static ReplayResult paying(double... shares) {
        List<MinerOutcome> miners = new java.util.ArrayList<>();
        for (int uid = 0; uid < shares.length; uid++) {
            miners.add(new MinerOutcome(uid, "hk" + uid, 0, 0, 0, 0, 0, shares[uid]));
        }
        return new ReplayResult("test", false, ReplaySettings.defaults(1, 1, false), 0, 2, miners, List.of(),
                List.of(shares.clone(), shares.clone()), List.of(), Map.of(), new ReplayResult.RewardCheck(0, 0, 0, 0, 0));
    }

    private static final Map<Integer, MinerTruth> TRUTH = Map.of(
            0, new MinerTruth(0, "honest", 1.0),
            1, new MinerTruth(1, "noisy", 0.5),
            2, new MinerTruth(2, "colluder", 0.0),
            3, new MinerTruth(3, "lazy", 0.0));

    @Test
    void sharesAddUpPerClassAndCheatersTogether() {
        Evaluation e = Evaluation.of(paying(0.6, 0.3, 0.06, 0.04), TRUTH);
        assertThat(e.share(MinerClass.HONEST)).isEqualTo(0.6);
        assertThat(e.cheaterShare()).isCloseTo(0.1, within(1e-12));
        assertThat(e.stableAfter()).isEqualTo(1);
    }

    @Test
    void paddersAndOpenersCountAsCheaters() {
        Map<Integer, MinerTruth> truth = Map.of(0, new MinerTruth(0, "honest", 1.0), 1, new MinerTruth(1, "padder", 0.0),
                2, new MinerTruth(2, "opener", 0.0));
        Evaluation e = Evaluation.of(paying(0.7, 0.1, 0.2), truth);
        assertThat(e.share(MinerClass.PADDER)).isEqualTo(0.1);
        assertThat(e.share(MinerClass.OPENER)).isEqualTo(0.2);
        assertThat(e.cheaterShare()).isCloseTo(0.3, within(1e-12));
    }

    @Test
    void spearmanIsOneWhenEmissionFollowsQualityAndNegativeWhenReversed() {
        assertThat(Evaluation.of(paying(0.6, 0.3, 0.06, 0.04), TRUTH).spearman()).isGreaterThan(0.9);
        // ties in quality get their average rank: reversing the order gives the mirror value
        assertThat(Evaluation.of(paying(0.04, 0.06, 0.3, 0.6), TRUTH).spearman()).isLessThan(-0.9);
    }

    @Test
    void minersWithoutTruthAreUnknownAndSpearmanNeedsTwo() {
        Evaluation e = Evaluation.of(paying(0.5, 0.5), Map.of(0, new MinerTruth(0, "honest", 1)));
        assertThat(e.shareByClass()).containsEntry(Evaluation.UNKNOWN, 0.5);
        assertThat(e.spearman()).isNaN();
        assertThat(e.gini()).isZero();
    }

    @Test
    void noMinerPaidLeavesSpearmanAndGiniUndefinedRatherThanPerfectlyEqual() {
        Evaluation none = Evaluation.of(paying(0, 0, 0, 0), TRUTH);
        assertThat(none.noMinerPaid()).isTrue();
        assertThat(none.spearman()).isNaN();
        assertThat(none.gini()).isNaN();
        assertThat(Evaluation.of(paying(0.25, 0.25, 0.25, 0.25), TRUTH).noMinerPaid()).isFalse();
    }

    @Test
    void oneQualityForAllLeavesNoRankingAndEqualPayForUnequalQualityFollowsItNotAtAll() {
        Map<Integer, MinerTruth> allHonest = Map.of(0, new MinerTruth(0, "honest", 1), 1, new MinerTruth(1, "honest", 1),
                2, new MinerTruth(2, "honest", 1));
        Evaluation same = Evaluation.of(paying(0.5, 0.3, 0.2), allHonest);
        assertThat(same.spearman()).isNaN();
        assertThat(new Acceptance(1.0, 0.0, same.spearman()).passed())
                .as("no ranking to check").isTrue();
        Evaluation flat = Evaluation.of(paying(0.25, 0.25, 0.25, 0.25), TRUTH);
        assertThat(flat.spearman()).isZero();
        assertThat(new Acceptance(0.9, 0.05, flat.spearman()).passed()).isFalse();
    }
}
