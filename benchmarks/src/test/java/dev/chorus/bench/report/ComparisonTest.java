package dev.chorus.bench.report;

import dev.chorus.bench.metrics.Evaluation;
import dev.chorus.bench.metrics.MinerTruth;
import dev.chorus.bench.replay.ReplayResult;
import dev.chorus.bench.replay.ReplaySettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Scorers are ranked only against a truth; without one the table says so rather than ranking by name. */
class ComparisonTest {

    private static ReplayReport report(String scorer, Map<String, Double> shares, double spearman,
                                       Map<Integer, MinerTruth> truth, long notJudged) {
        return report(scorer, shares, spearman, 0.25, truth, notJudged);
    }

    private static ReplayReport report(String scorer, Map<String, Double> shares, double spearman, double gini,
                                       Map<Integer, MinerTruth> truth, long notJudged) {
        ReplayResult result = new ReplayResult(scorer, false, ReplaySettings.defaults(1, 10, false), 30, 30, List.of(),
                List.of(), List.of(), List.of(), Map.of(), new ReplayResult.RewardCheck(0, 0, 0, 0, notJudged));
        return new ReplayReport(result, new Evaluation(shares, spearman, gini, 1, 3), truth);
    }

    @Test
    void aScorerThatPaidNoMinerRanksLastAndShowsNoFigures() {
        Map<Integer, MinerTruth> truth = Map.of(0, new MinerTruth(0, "honest", 1), 1, new MinerTruth(1, "lazy", 1));
        Comparison comparison = new Comparison(List.of(
                report("unpaid", Map.of("honest", 0.0, "lazy", 0.0), Double.NaN, Double.NaN, truth, 0),
                report("paid", Map.of("honest", 0.8, "lazy", 0.2), Double.NaN, 0.3, truth, 0)));

        assertThat(comparison.ranked()).extracting(r -> r.result().scorer()).containsExactly("paid", "unpaid");
        assertThat(comparison.table()).contains("   2 unpaid            n/a     n/a")
                .contains("unpaid: no miner was paid in any epoch: no validator sent a weight row that counted (every"
                        + " miner failed or scored 0 in every round); ranked last\n").doesNotContain("NaN");
        assertThat(comparison.summary()).containsEntry("validatorCount", 1).doesNotContainKey("validators");
    }

    @Test
    void minersTheTruthDoesNotNameGetAnUnknownColumn() {
        Map<Integer, MinerTruth> truth = Map.of(0, new MinerTruth(0, "honest", 1));
        String table = new Comparison(List.of(
                report("consensus", Map.of("honest", 0.6, Evaluation.UNKNOWN, 0.4), 0.9, truth, 0))).table();
        assertThat(table.lines().findFirst().orElseThrow()).endsWith("lazy  unknown  settled");
        assertThat(table).contains("     0.0%    40.0%        1");
    }

    @Test
    void withoutATruthFileNothingIsRankedAndTheUnknownShareIsShown() {
        Comparison comparison = new Comparison(List.of(
                report("mean-cosine", Map.of(Evaluation.UNKNOWN, 1.0), Double.NaN, Map.of(), 0),
                report("consensus", Map.of(Evaluation.UNKNOWN, 1.0), Double.NaN, Map.of(), 0)));

        assertThat(comparison.table()).startsWith("not ranked: no truth file (give --truth")
                .contains("mean-cosine       n/a   0.250   100.0%")
                .doesNotContain("NaN").doesNotContain("rank scorer");
        assertThat(comparison.ranked()).extracting(r -> r.result().scorer()).containsExactly("mean-cosine", "consensus");
        assertThat(comparison.summary()).containsEntry("ranked", false);
    }

    @Test
    void withATruthFileScorersAreRankedAndUnjudgedRoundsAreCounted() {
        Map<Integer, MinerTruth> truth = Map.of(0, new MinerTruth(0, "honest", 1));
        Comparison comparison = new Comparison(List.of(
                report("reference", Map.of("honest", 0.6), 0.5, truth, 3),
                report("consensus", Map.of("honest", 0.9), 0.9, truth, 0)));

        assertThat(comparison.table()).startsWith("rank scorer")
                .contains("   1 consensus       0.900")
                .contains("reference: 3 rounds not judged (no reference answer), kept with their logged rewards");
        assertThat(comparison.summary()).containsEntry("ranked", true);
    }

    @Test
    void padderAndOpenerColumnsAppearOnlyWhenATruthNamesThem() {
        Map<Integer, MinerTruth> truth = Map.of(0, new MinerTruth(0, "honest", 1));
        String without = new Comparison(List.of(report("consensus", Map.of("honest", 1.0), 0.9, truth, 0))).table();
        assertThat(without.lines().findFirst().orElseThrow())
                .isEqualTo("rank scorer       spearman    gini   honest    noisy  copycat colluder     lazy  settled");

        String with = new Comparison(List.of(
                report("consensus", Map.of("honest", 0.7, "padder", 0.05, "opener", 0.25), 0.8, truth, 0),
                report("reference", Map.of("honest", 0.9, "padder", 0.1), 0.5, truth, 0))).table();
        assertThat(with.lines().findFirst().orElseThrow()).endsWith("lazy   padder   opener  settled");
        assertThat(with).contains("   1 consensus       0.800   0.250    70.0%     0.0%     0.0%     0.0%     0.0%"
                + "     5.0%    25.0%        1");
        assertThat(with).contains("   2 reference       0.500   0.250    90.0%     0.0%     0.0%     0.0%     0.0%"
                + "    10.0%     0.0%        1");
    }
}
