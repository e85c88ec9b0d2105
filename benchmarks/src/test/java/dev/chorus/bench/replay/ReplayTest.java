package dev.chorus.bench.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.bench.report.ReplayReport;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.scored.RoundAnswers;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.validator.state.RoundRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** How the replay turns rounds into rows and epochs where a live validator and the chain would. */
class ReplayTest {

    private static final BenchScorer GOOD_IS_ONE = new GoodIsOne();

    /** Three miners: every one timed out, or uid 0 answered well and the others poorly. */
    private static RoundRecord round(int r, boolean allTimedOut, boolean organic) {
        List<RoundRecord.MinerRecord> miners = new ArrayList<>();
        for (int uid = 0; uid < 3; uid++) {
            miners.add(allTimedOut
                    ? new RoundRecord.MinerRecord(uid, "miner-" + uid, null, "TIMEOUT", null, 12_000, 0, 0)
                    : new RoundRecord.MinerRecord(uid, "miner-" + uid, uid == 0 ? "good" : "poor", null, null, 100, 0,
                            uid == 0 ? 1 : 0));
        }
        return new RoundRecord(r, r * 12_000L, r, "q" + r, "prompt", organic ? null : "reference", organic, miners, null);
    }

    @Test
    void aValidatorWithNoPositiveScoreSendsNoRowSoTimedOutMinersEarnNothing() {
        List<RoundRecord> log = new ArrayList<>();
        for (int r = 0; r < 10; r++) {
            log.add(round(r, true, false));
        }
        for (int r = 10; r < 20; r++) {
            log.add(round(r, false, false));
        }
        ReplayResult result = Replay.run(List.of(log), GOOD_IS_ONE, ReplaySettings.defaults(1, 10, false));

        assertThat(result.emissionByEpoch()).hasSize(2);
        assertThat(result.emissionByEpoch().get(0)).containsOnly(0.0);
        assertThat(result.emissionByEpoch().get(1)[0]).isEqualTo(1.0);
        assertThat(result.miners().get(1).emissionShare()).isZero();
    }

    /** Three miners, uid 0 answering well; the log says uid 1 earned 1, which only a round kept as logged reproduces. */
    private static RoundRecord loggedRound(int r, boolean organic, String reference) {
        List<RoundRecord.MinerRecord> miners = new ArrayList<>();
        for (int uid = 0; uid < 3; uid++) {
            miners.add(new RoundRecord.MinerRecord(uid, "miner-" + uid, uid == 0 ? "good" : "poor", null, null, 100, 0,
                    uid == 1 ? 1 : 0));
        }
        return new RoundRecord(r, r * 12_000L, r, "q" + r, "prompt", reference, organic, miners, null);
    }

    @Test
    void roundsTheScorerCannotJudgeKeepTheirLoggedRewardsAndAreCounted() {
        BenchScorer needsReference = new GoodIsOne() {
            @Override
            public boolean canJudge(Round round) {
                return round.referenceAnswer() != null;
            }
        };
        List<RoundRecord> log = List.of(loggedRound(0, false, "reference"), loggedRound(1, true, null),
                loggedRound(2, false, null), loggedRound(3, false, "reference"));

        ReplayResult result = Replay.run(List.of(log), needsReference, ReplaySettings.defaults(1, 10, false));

        assertThat(result.check().roundsNotJudged()).isEqualTo(2);
        assertThat(result.check().compared()).isEqualTo(6);
        assertThat(result.check().promptNotLogged()).isZero();
        assertThat(result.rewards().get(1)).containsExactly(0.0, 1.0, 1.0, 0.0);
        assertThat(result.miners().get(1).finalScore()).as("the synthetic round kept as logged moved the book").isPositive();
        assertThat(ReplayReport.of(result, Map.of()).table()).contains("not judged: 2 rounds the good-is-one scorer cannot judge");
    }

    @Test
    void anOrganicRoundWithoutAPromptFieldIsKeptAsLoggedLikeOneWithAnEmptyPrompt() {
        RoundRecord noPromptField = new RoundRecord(1, 0, 0, "organic-1", null, null, true,
                loggedRound(1, true, null).miners(), null);
        List<RoundRecord> log = List.of(loggedRound(0, false, "reference"), noPromptField);

        ReplayResult result = Replay.run(List.of(log), GOOD_IS_ONE, ReplaySettings.defaults(1, 10, false));

        assertThat(result.check().promptNotLogged()).isEqualTo(3);
        assertThat(result.rewards().get(1)).containsExactly(0.0, 1.0);
    }

    @Test
    void theReferenceScorerCannotJudgeARoundWithoutAReference() {
        CosineScorer reference = new CosineScorer(null, ScorerName.REFERENCE);
        CosineScorer meanCosine = new CosineScorer(null, ScorerName.MEAN_COSINE);
        Round organic = Replay.toRound(loggedRound(0, true, null), uid -> 0);
        assertThat(reference.canJudge(organic)).isFalse();
        assertThat(reference.canJudge(Replay.toRound(loggedRound(0, false, "reference"), uid -> 0))).isTrue();
        assertThat(meanCosine.canJudge(organic)).isTrue();
    }

    @Test
    void aRevealPeriodAsLongAsTheLogPaysNoMinerAndTheReportSaysWhy() {
        List<RoundRecord> log = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
            log.add(round(r, false, false));
        }
        ReplayResult result = Replay.run(List.of(log), GOOD_IS_ONE,
                ReplaySettings.defaults(1, 10, false).withWeightCopying(0, 2));
        ReplayReport report = ReplayReport.of(result, Map.of());

        assertThat(result.emissionByEpoch()).hasSize(2).allSatisfy(epoch -> assertThat(epoch).containsOnly(0.0));
        assertThat(report.evaluation().noMinerPaid()).isTrue();
        assertThat(report.table()).contains("Gini n/a").contains("commit-reveal holds each weight row back 2 epochs");
    }

    /**
     * Miners 0 and 1 answer well, miner 2 poorly, for 30 rounds; then uid 1 stops being a miner for the validator (it
     * withdrew its axon, say): the validator asks it no more and its rounds name it among the uids it does not weigh
     * (the validator itself is uid 3). {@code withMetagraph} false drops that from the log, as older logs are.
     */
    private static List<RoundRecord> uidOneLeavesAfterRound30(boolean withMetagraph) {
        List<RoundRecord> log = new ArrayList<>();
        for (int r = 0; r < 60; r++) {
            boolean left = r >= 30;
            List<RoundRecord.MinerRecord> miners = new ArrayList<>();
            for (int uid = 0; uid < 3; uid++) {
                if (uid != 1 || !left) {
                    miners.add(new RoundRecord.MinerRecord(uid, "miner-" + uid, uid < 2 ? "good" : "poor", null, null,
                            100, 0, uid < 2 ? 1 : 0));
                }
            }
            RoundRecord.MetagraphView metagraph = new RoundRecord.MetagraphView(4, left ? List.of(1, 3) : List.of(3));
            log.add(new RoundRecord(r, r * 12_000L, r, "q" + r, "prompt", "reference", false, miners,
                    withMetagraph ? metagraph : null));
        }
        return log;
    }

    @Test
    void aUidThatStopsBeingAMinerIsWeighedZeroFromTheNextTempoAsTheValidatorWeighsIt() {
        ReplayResult result = Replay.run(List.of(uidOneLeavesAfterRound30(true)), GOOD_IS_ONE,
                ReplaySettings.defaults(1, 10, false));

        List<double[]> epochs = result.emissionByEpoch();
        assertThat(epochs).hasSize(6);
        for (int e = 0; e < 3; e++) {
            assertThat(epochs.get(e)[1]).as("epoch %d, while uid 1 is a miner", e).isEqualTo(0.5);
        }
        for (int e = 3; e < 6; e++) {
            assertThat(epochs.get(e)[1]).as("epoch %d, after uid 1 left", e).isZero();
            assertThat(epochs.get(e)[0]).as("epoch %d: uid 0, the one good miner left", e).isEqualTo(1.0);
        }
        assertThat(result.weights().getFirst()[1]).as("uid 1's share of the last row").isZero();
        assertThat(result.miners().get(1).finalScore()).as("the book keeps the score, as the validator's does").isPositive();
        assertThat(result.miners().get(1).emissionShare()).isEqualTo(0.25);
    }

    @Test
    void aLogThatDoesNotRecordTheMetagraphWeighsEveryUidItsBookHolds() {
        ReplayResult result = Replay.run(List.of(uidOneLeavesAfterRound30(false)), GOOD_IS_ONE,
                ReplaySettings.defaults(1, 10, false));

        assertThat(result.emissionByEpoch().getLast()[1]).as("uid 1 is paid on its frozen score").isPositive();
        assertThat(result.weights().getFirst()[1]).isPositive();
    }

    @Test
    void onlySyntheticRoundsCountTowardTheTempo() {
        List<RoundRecord> log = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
            log.add(round(r, false, false));
            if (r % 4 == 0) {
                log.add(round(100 + r, false, true));
            }
        }
        ReplayResult result = Replay.run(List.of(log), GOOD_IS_ONE, ReplaySettings.defaults(1, 10, false));

        assertThat(result.rounds()).isEqualTo(25);
        assertThat(result.longestLog()).isEqualTo(20);
        assertThat(result.emissionByEpoch()).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(MinerAnswer.Failure.class)
    void aLoggedFailureReplaysAsTheValidatorScoredIt(MinerAnswer.Failure failure) {
        RoundRecord logged = new RoundRecord(7, 0, 0, "q", "prompt", null, false,
                List.of(new RoundRecord.MinerRecord(3, "0xabc", null, failure.name(), "detail", 40, 0.5, 0)), null);

        assertThat(Replay.toRound(logged, uid -> 0.5).answers().get(0).failure())
                .isEqualTo(RoundAnswers.failureOf(failure));
    }
}
