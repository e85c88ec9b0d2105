package dev.chorus.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.chorus.chain.WeightVector;
import dev.chorus.chain.yuma.StoredWeights;
import dev.chorus.validator.state.RoundRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The weight-copying attack through the replay's Yuma: a copier that reads the chain keeps pace with the
 * validators it copies while commit-reveal is off, and falls behind when the best miner changes and it can only
 * copy rows revealed epochs later.
 */
class WeightCopyingTest {

    private static final BenchScorer GOOD_IS_ONE = new GoodIsOne();

    /** Four miners; the good one moves to the next uid every {@code phase} rounds, so weights keep changing. */
    private static List<RoundRecord> shiftingLog(int rounds, int phase) {
        return log(rounds, 4, r -> (r / phase) % 4);
    }

    /** {@code miners} miners; in round r uid {@code good(r)} answers well and the others poorly. */
    private static List<RoundRecord> log(int rounds, int miners, IntUnaryOperator good) {
        List<RoundRecord> log = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            List<RoundRecord.MinerRecord> answers = new ArrayList<>();
            for (int uid = 0; uid < miners; uid++) {
                boolean isGood = uid == good.applyAsInt(r);
                answers.add(new RoundRecord.MinerRecord(uid, "miner-" + uid, isGood ? "good" : "poor", null, null, 100,
                        0, isGood ? 1 : 0));
            }
            log.add(new RoundRecord(r, r * 12_000L, r, "q" + r, "prompt", null, false, answers, null));
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
            assertThat(copier(result).uid()).isEqualTo(7);
            assertThat(copier(result).relativeYield()).as("yuma3=" + yuma3).isCloseTo(1, within(0.02));
        }
    }

    /** The figures benchmarks/README.md quotes; the replay is deterministic, so they hold to the last digit. */
    @Test
    void commitRevealCostsTheCopierItsShareWhenTheBestMinerChanges() {
        assertThat(copier(replay(false, 1)).relativeYield()).as("classic, one epoch").isCloseTo(0.461, within(0.001));
        assertThat(copier(replay(false, 2)).relativeYield()).as("classic, two epochs").isCloseTo(0.403, within(0.001));
        assertThat(copier(replay(true, 1)).relativeYield()).as("Yuma3, one epoch").isCloseTo(0.618, within(0.001));
        assertThat(copier(replay(true, 2)).relativeYield()).as("Yuma3, two epochs").isCloseTo(0.382, within(0.001));
    }

    /**
     * Each validator weights one miner only, so the copier's stake-weighted mean is 131070 : 1 on uids 0 and 1. Through
     * the SDK's pipeline (float32, half-even) uid 1's 1/131070 x 65535 = 0.5 rounds to 0 and drops out, as it would
     * for a validator; half-up in doubles kept it at 1. The heatmap's rows are the validators' and then the copier's,
     * as the validators list names them.
     */
    @Test
    void theCopiersRowGoesThroughTheSdkPipelineAndIsReportedAfterTheValidators() {
        ReplaySettings settings = ReplaySettings.defaults(2, 10, false).withStakes(List.of(131_070L, 1L))
                .withWeightCopying(1_000_000L, 0);
        ReplayResult result = Replay.run(List.of(log(30, 3, r -> 0), log(30, 3, r -> 1)), GOOD_IS_ONE, settings);

        WeightVector vector = WeightVector.fromScores(new double[] {131_070, 1, 0, 0, 0, 0}, settings.minAllowedWeights(),
                settings.maxWeightLimit(), 0);
        int[] stored = StoredWeights.maxUpscale(vector.values().stream().mapToInt(Integer::intValue).toArray());
        double[] expected = new double[3];
        double total = java.util.Arrays.stream(stored).sum();
        for (int k = 0; k < stored.length; k++) {
            expected[vector.uids().get(k)] = stored[k] / total;
        }
        assertThat(result.weights()).hasSize(3);
        assertThat(result.weights().get(0)).containsExactly(1, 0, 0);
        assertThat(result.weights().get(1)).containsExactly(0, 1, 0);
        assertThat(result.weights().get(2)).containsExactly(expected).containsExactly(1, 0, 0);
        assertThat(result.validators()).extracting(ValidatorOutcome::uid).containsExactly(3, 4, 5);
        assertThat(result.miners()).extracting(MinerOutcome::weight).as("the miners' weight is the replaying validators' mean")
                .containsExactly(0.5, 0.5, 0.0);
    }

    /** Yuma pays validators that weight alike in proportion to stake, so with no copier each earns as the others do. */
    @Test
    void validatorsWeightingAlikeEarnInProportionToStakeAndNoCopierMeansNoExtraUid() {
        List<RoundRecord> log = shiftingLog(200, 40);
        ReplayResult result = Replay.run(List.of(log, log), GOOD_IS_ONE,
                ReplaySettings.defaults(2, 10, true).withStakes(List.of(3_000_000L, 1_000_000L)));
        assertThat(result.validators()).hasSize(2).noneMatch(ValidatorOutcome::copier);
        assertThat(result.validators()).extracting(ValidatorOutcome::uid).containsExactly(4, 5);
        assertThat(result.validators().get(0).dividendShare()).isCloseTo(0.75, within(0.01));
        assertThat(result.validators()).allSatisfy(v -> assertThat(v.relativeYield()).isCloseTo(1, within(0.01)));
    }
}
