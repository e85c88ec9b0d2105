package dev.chorus.bench.report;

import dev.chorus.bench.metrics.Evaluation;
import dev.chorus.bench.metrics.MinerTruth;
import dev.chorus.bench.replay.MinerOutcome;
import dev.chorus.bench.replay.ReplayResult;
import dev.chorus.bench.replay.ReplaySettings;
import dev.chorus.bench.replay.ValidatorOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The table's header and stability sentence say what a log of that length really gave. */
class ReplayReportTest {

    private static String table(int validators, int longestLog, int tempo, int epochs, int stableAfter) {
        ReplayResult result = new ReplayResult("test", false, ReplaySettings.defaults(validators, tempo, false),
                validators * longestLog, longestLog, List.of(), List.of(), List.of(), List.of(), Map.of(),
                new ReplayResult.RewardCheck(0, 0, 0, 0, 0));
        return new ReplayReport(result, new Evaluation(Map.of(), Double.NaN, 0, stableAfter, epochs), Map.of()).table();
    }

    @Test
    void aLogShorterThanATempoIsOneShortEpochWithoutAStabilityMeasure() {
        String table = table(1, 3, 10, 1, -1);
        assertThat(table).startsWith("scorer test, classic Yuma, 1 validator, 3 rounds, 1 epoch of 3 rounds\n")
                .contains(", ranking stability not measured (it needs 2 epochs)\n");
    }

    @Test
    void aShortLastEpochIsNamedAndAnUnsettledRankingIsNotCalledNever() {
        String table = table(3, 25, 10, 3, -1);
        assertThat(table).startsWith("scorer test, classic Yuma, 3 validators, 75 rounds, 3 epochs of 10 rounds, the last of 5\n")
                .contains(", ranking not yet settled after 3 epochs\n");
    }

    @Test
    void aRunThatPaidNoMinerSaysSoInsteadOfReportingPerfectEquality() {
        ReplayResult result = new ReplayResult("test", false, ReplaySettings.defaults(1, 10, false).withWeightCopying(0, 3),
                20, 20, List.of(), List.of(), List.of(), List.of(), Map.of(), new ReplayResult.RewardCheck(0, 0, 0, 0, 0));
        ReplayReport report = new ReplayReport(result, new Evaluation(Map.of(), Double.NaN, Double.NaN, -1, 2), Map.of());

        assertThat(report.table()).contains("Spearman(quality, emission) n/a, Gini n/a, ranking stability not measured (no miner was paid)\n")
                .contains("no miner was paid in any epoch: commit-reveal holds each weight row back 3 epochs and the log makes"
                        + " only 2 epochs, so no row ever counted")
                .doesNotContain("0.000").doesNotContain("NaN");
        @SuppressWarnings("unchecked")
        Map<String, Object> evaluation = (Map<String, Object>) report.summary().get("evaluation");
        assertThat(evaluation).containsEntry("gini", null).containsEntry("spearman", null);
    }

    @Test
    void theSummaryCountsValidatorsApartFromListingThem() {
        ReplayResult result = new ReplayResult("test", false, ReplaySettings.defaults(2, 10, false), 20, 10, List.of(),
                List.of(new ValidatorOutcome(3, false, 1_000_000, 0.5, 1), new ValidatorOutcome(4, false, 1_000_000, 0.5, 1)),
                List.of(), List.of(), Map.of(), new ReplayResult.RewardCheck(0, 0, 0, 0, 0));
        Map<String, Object> summary = new ReplayReport(result, new Evaluation(Map.of(), Double.NaN, 0, 1, 1), Map.of()).summary();

        assertThat(summary).containsEntry("validatorCount", 2);
        assertThat(summary.get("validators")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(2);
    }

    @Test
    void rewardsOtherThanTheLoggedOnesNameTheSettingsTheReplayScoredWith() {
        ReplayResult result = new ReplayResult("consensus", false, ReplaySettings.defaults(1, 10, false), 10, 10, List.of(),
                List.of(), List.of(), List.of(), Map.of(), new ReplayResult.RewardCheck(10, 3, 0.5, 0, 0));
        String table = new ReplayReport(result, new Evaluation(Map.of(), Double.NaN, 0, 1, 1), Map.of()).table();

        assertThat(table).contains("rewards equal to the log: 3 of 10")
                .contains("the replay scores with the settings --config gives, a fresh validator's defaults without it")
                .contains("pass its effective settings (--config: its file, or what 'chorus validator --print-config' prints"
                        + " with the same --set and CHORUS_* overrides)");
    }

    @Test
    void aMinersQualityIsRoundedInTheTableAsInItsFiles() {
        // the qualities of `scenario --noisy 10`: 0.1 + 0.3 * i / 9
        List<MinerOutcome> miners = List.of(new MinerOutcome(0, "a", 0.2, 0.2, 0.5, 0.5, 0.5, 0.5),
                new MinerOutcome(1, "b", 0.2, 0.2, 0.5, 0.5, 0.5, 0.5));
        ReplayResult result = new ReplayResult("test", false, ReplaySettings.defaults(1, 10, false), 10, 10, miners,
                List.of(), List.of(), List.of(), Map.of(), new ReplayResult.RewardCheck(0, 0, 0, 0, 0));
        Map<Integer, MinerTruth> truth = Map.of(0, new MinerTruth(0, "noisy", 0.1 + 0.3 * 2 / 9),
                1, new MinerTruth(1, "noisy", 0.1 + 0.3 * 5 / 9));
        String table = new ReplayReport(result, new Evaluation(Map.of("noisy", 1.0), Double.NaN, 0, 1, 1), truth).table();

        assertThat(table).contains("    0 noisy          0.17 ").contains("    1 noisy          0.27 ")
                .as("cut after two decimals, not rounded").doesNotContain(" 0.16 ").doesNotContain(" 0.26 ");
    }

    @Test
    void wholeEpochsAndASettledRanking() {
        String table = table(2, 20, 10, 2, 1);
        assertThat(table).startsWith("scorer test, classic Yuma, 2 validators, 40 rounds, 2 epochs of 10 rounds\n")
                .contains(", ranking settled after 1 tempo\n");
    }
}
