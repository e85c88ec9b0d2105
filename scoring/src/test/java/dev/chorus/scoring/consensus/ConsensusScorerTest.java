package dev.chorus.scoring.consensus;

import dev.chorus.scoring.embedding.CosineSimilarity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The scorer's rules on small hand-made vectors; realistic rounds with the real model are in ConsensusScorerIT. */
class ConsensusScorerTest {

    private static final int DIM = 8;
    private static final float[] EMPTY = axis(7);
    private static final float[] QUERY = axis(6);
    /** An opening long enough to count as a copied answer (min_copy_words is 8). */
    private static final String TILT = "the tilt of the axis makes the sun shine more directly";

    private final ConsensusScorer scorer = new ConsensusScorer(ScoringOptions.defaults().withLatencyWeight(0));

    /** Unit vector at angle {@code degrees} from axis 0 toward axis {@code toward}. */
    private static float[] tilted(double degrees, int toward) {
        float[] v = new float[DIM];
        v[0] = (float) Math.cos(Math.toRadians(degrees));
        v[toward] += (float) Math.sin(Math.toRadians(degrees));
        return v;
    }

    private static float[] axis(int d) {
        float[] v = new float[DIM];
        v[d] = 1;
        return v;
    }

    private record Miner(int uid, String text, float[] vector, long millis, double trust) {
    }

    private RoundScores score(ConsensusScorer s, Miner... miners) {
        return scoreWithAdditions(s, Map.of(), miners);
    }

    private RoundScores scoreWithAdditions(ConsensusScorer s, Map<String, float[]> additions, Miner... miners) {
        List<RoundAnswer> answers = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (Miner m : miners) {
            answers.add(m.text() == null
                    ? RoundAnswer.failed(m.uid(), AnswerFailure.TIMEOUT, Duration.ofMillis(m.millis()), m.trust())
                    : RoundAnswer.answered(m.uid(), m.text(), Duration.ofMillis(m.millis()), m.trust()));
            vectors.add(m.vector());
        }
        return s.score(new EmbeddedRound(new Round("question?", answers), vectors, EMPTY, QUERY, null, additions));
    }

    @Test
    void answerAtTheConsensusEarnsOneAndOrthogonalEarnsZero() {
        // uid 0 outweighs the pull of the rest together, so the median sits exactly on it
        RoundScores r = score(scorer,
                new Miner(0, "alpha one", tilted(0, 1), 100, 1.0),
                new Miner(1, "alpha two", tilted(20, 2), 100, 0.1),
                new Miner(2, "alpha three", tilted(20, 3), 100, 0.1),
                new Miner(3, "off topic", axis(5), 100, 0.1));

        assertThat(r.forUid(0).orElseThrow().reward()).isCloseTo(1.0, within(1e-3));
        assertThat(r.forUid(3).orElseThrow().reward()).isCloseTo(0.0, within(1e-3));
        assertThat(r.scores()).allSatisfy(s -> assertThat(s.reward()).isBetween(0.0, 1.0));
    }

    @Test
    void failedMinerGetsZeroAndIsMarkedUnanswered() {
        RoundScores r = score(scorer,
                new Miner(0, "alpha one", tilted(0, 1), 100, 0.5),
                new Miner(4, null, null, 12_000, 0.9));
        MinerScore failed = r.forUid(4).orElseThrow();
        assertThat(failed.reward()).isZero();
        assertThat(failed.answered()).isFalse();
        assertThat(failed.penalties()).containsExactly(Penalty.NO_ANSWER);
    }

    @Test
    void roundWithoutUsableAnswersHasNoConsensus() {
        RoundScores r = score(scorer,
                new Miner(0, "", EMPTY, 100, 0.5),
                new Miner(1, null, null, 100, 0.5),
                new Miner(2, "question", QUERY, 100, 0.5));
        assertThat(r.consensus()).isNull();
        assertThat(r.scores()).extracting(MinerScore::reward).containsOnly(0.0);
        assertThat(r.forUid(2).orElseThrow().penalties()).containsExactly(Penalty.ECHO);
    }

    @Test
    void identicalBlockVotesOnceEvenWhenItOutnumbersTheHonest() {
        List<Miner> miners = new ArrayList<>(List.of(
                new Miner(0, "honest a", tilted(0, 1), 100, 0.5),
                new Miner(1, "honest b", tilted(15, 2), 100, 0.5),
                new Miner(2, "honest c", tilted(15, 3), 100, 0.5)));
        for (int uid = 10; uid < 15; uid++) {
            miners.add(new Miner(uid, "the same wrong answer", axis(4), uid == 11 ? 60 : 50 + uid, 0.5));
        }
        RoundScores r = score(scorer, miners.toArray(Miner[]::new));

        assertThat(r.consensus()[0]).isGreaterThan(0.9f);
        for (int uid : new int[] {10, 11}) {
            MinerScore first = r.forUid(uid).orElseThrow();
            assertThat(first.calibrated()).isGreaterThan(0);
            assertThat(first.reward()).as("uid %d: a fifth, as if it had shared its answer five ways, split by a tie", uid)
                    .isCloseTo(first.calibrated() / 5 / 2, within(1e-9)).isLessThan(r.forUid(2).orElseThrow().reward());
        }
        assertThat(r.scores().stream().filter(s -> s.uid() > 11)).allSatisfy(s -> assertThat(s.reward()).isZero());
        assertThat(r.scores().stream().filter(s -> s.uid() >= 10))
                .allSatisfy(s -> assertThat(s.penalties()).containsExactly(Penalty.DUPLICATE));
    }

    @Test
    void twoLaterCopiesOfAnHonestAnswerEarnNothing() {
        RoundScores r = score(scorer,
                new Miner(0, "original answer", tilted(0, 1), 100, 0.5),
                new Miner(1, "another view", tilted(20, 2), 100, 0.5),
                new Miner(2, "a third view", tilted(20, 3), 100, 0.5),
                new Miner(3, "original answer", tilted(0, 1), 900, 0.5),
                new Miner(4, "original answer", tilted(0, 1), 950, 0.5));
        MinerScore original = r.forUid(0).orElseThrow();

        for (int uid : new int[] {3, 4}) {
            assertThat(r.forUid(uid).orElseThrow().reward()).as("uid %d", uid).isZero();
            assertThat(r.forUid(uid).orElseThrow().penalties()).as("uid %d", uid).containsExactly(Penalty.DUPLICATE);
        }
        assertThat(original.calibrated()).isGreaterThan(0.9);
        assertThat(original.reward()).as("three in a group make a block, of which the first keeps a third")
                .isCloseTo(original.calibrated() / 3, within(1e-9));
        assertThat(original.penalties()).containsExactly(Penalty.DUPLICATE);
    }

    @Test
    void distinctAnswersHoldingMostTrustDecideTheConsensus() {
        Miner[] miners = {
                new Miner(0, "view a one", tilted(5, 1), 100, 0.02),
                new Miner(1, "view a two", tilted(5, 2), 100, 0.02),
                new Miner(2, "view a three", tilted(5, 3), 100, 0.02),
                new Miner(3, "view b one", tilted(85, 4), 100, 1.0),
                new Miner(4, "view b two", tilted(85, 5), 100, 1.0)};
        float[] bSide = tilted(85, 4);
        RoundScores r = score(scorer, miners);
        assertThat(dot(r.consensus(), bSide)).isGreaterThan(dot(r.consensus(), tilted(5, 1)));
    }

    @Test
    void firstAnswerModePaysTheEarliestDuplicateInFullAndTheCopyNothing() {
        RoundScores r = score(scorer,
                new Miner(0, "original answer", tilted(0, 1), 100, 0.5),
                new Miner(1, "Original answer!", tilted(0, 1), 900, 0.5),
                new Miner(2, "another view", tilted(20, 2), 100, 0.5));
        MinerScore original = r.forUid(0).orElseThrow();
        MinerScore copy = r.forUid(1).orElseThrow();

        assertThat(copy.reward()).isZero();
        assertThat(copy.penalties()).containsExactly(Penalty.DUPLICATE);
        assertThat(original.reward()).isCloseTo(original.calibrated(), within(1e-9));
        assertThat(original.duplicateGroup()).isEqualTo(copy.duplicateGroup()).isNotNegative();
    }

    @Test
    void sharedModeSplitsTheRewardEvenly() {
        ConsensusScorer shared = new ConsensusScorer(ScoringOptions.defaults().withLatencyWeight(0)
                .withDuplicateReward(ScoringOptions.DuplicateReward.SHARED));
        RoundScores r = score(shared,
                new Miner(0, "one answer", tilted(0, 1), 100, 0.5),
                new Miner(1, "near copy", tilted(1, 2), 900, 0.5),
                new Miner(2, "other", tilted(30, 3), 100, 0.5));
        assertThat(r.forUid(0).orElseThrow().reward()).isCloseTo(r.forUid(1).orElseThrow().reward(), within(1e-9));
        assertThat(r.forUid(0).orElseThrow().reward()).isCloseTo(r.forUid(0).orElseThrow().calibrated() / 2, within(1e-9));
    }

    @Test
    void fasterAnswerEarnsMoreAtEqualSimilarity() {
        ConsensusScorer withLatency = new ConsensusScorer(ScoringOptions.defaults().withLatencyWeight(0.2));
        RoundScores r = score(withLatency,
                new Miner(0, "left", tilted(20, 1), 1_000, 0.5),
                new Miner(1, "right", tilted(-20, 1), 11_000, 0.5),
                new Miner(2, "middle", tilted(0, 2), 5_000, 0.5));
        MinerScore fast = r.forUid(0).orElseThrow();
        MinerScore slow = r.forUid(1).orElseThrow();
        assertThat(fast.calibrated()).isCloseTo(slow.calibrated(), within(1e-6));
        assertThat(fast.reward()).isGreaterThan(slow.reward());
        assertThat(slow.latencyFactor()).isBetween(0.8, 1.0);
    }

    @Test
    void paddingAnotherAnswerEarnsOnlyWhatThePaddingEarns() {
        String original = "the tilt of the axis makes the sun shine more directly on one half of the planet";
        String padding = "and also buy my watches now";
        Miner[] round = {
                new Miner(0, original, tilted(0, 1), 100, 0.5),
                new Miner(1, original + " " + padding, tilted(30, 2), 200, 0.5),
                new Miner(2, "another honest view", tilted(30, 3), 100, 0.5)};

        RoundScores offTopic = scoreWithAdditions(scorer, Map.of(padding, axis(5)), round);
        assertThat(offTopic.forUid(1).orElseThrow().penalties()).containsExactly(Penalty.COPIED_OPENING);
        assertThat(offTopic.forUid(1).orElseThrow().reward()).isCloseTo(0, within(1e-6));
        assertThat(offTopic.forUid(0).orElseThrow().reward()).as("the original keeps its reward").isGreaterThan(0.9);

        RoundScores onTopic = scoreWithAdditions(scorer, Map.of(padding, tilted(40, 4)), round);
        MinerScore padded = onTopic.forUid(1).orElseThrow();
        assertThat(padded.penalties()).containsExactly(Penalty.COPIED_OPENING);
        assertThat(padded.similarity()).as("judged on the padding alone")
                .isCloseTo(CosineSimilarity.dot(tilted(40, 4), onTopic.consensus()), within(1e-6));
        assertThat(padded.reward()).isCloseTo(padded.calibrated(), within(1e-9)).isLessThan(0.8);
        assertThat(onTopic.consensus()).as("the padded answer does not move the consensus")
                .containsExactly(offTopic.consensus(), within(1e-6f));
    }

    @Test
    void paddingThatAddsNothingOfItsOwnEarnsNothing() {
        String second = "one half of the planet leans toward the sun in its summer";
        String nearCopy = "the seasons change";
        String echo = "why are there seasons";
        Miner[] round = {
                new Miner(0, TILT, tilted(0, 1), 100, 0.5),
                new Miner(1, second, tilted(30, 2), 150, 0.5),
                new Miner(2, "seasons change", tilted(30, 3), 100, 0.5),
                new Miner(3, TILT + ". " + second + "!", tilted(20, 4), 200, 0.5),
                new Miner(4, TILT + " " + nearCopy, tilted(-20, 3), 200, 0.5),
                new Miner(5, TILT + " " + echo, tilted(-20, 4), 200, 0.5),
                new Miner(6, "another honest view", tilted(30, 5), 100, 0.5)};
        RoundScores r = scoreWithAdditions(scorer, Map.of(nearCopy, tilted(30, 3), echo, QUERY), round);

        for (int uid : new int[] {3, 5}) {
            MinerScore padded = r.forUid(uid).orElseThrow();
            assertThat(padded.penalties()).as("uid %d", uid).containsExactly(Penalty.PADDED_COPY);
            assertThat(padded.reward()).as("uid %d", uid).isZero();
            assertThat(padded.calibrated()).as("nothing of uid %d was judged", uid).isNaN();
        }
        MinerScore copy = r.forUid(4).orElseThrow();
        assertThat(copy.penalties()).as("its addition copies uid 2, given earlier")
                .containsExactlyInAnyOrder(Penalty.COPIED_OPENING, Penalty.DUPLICATE);
        assertThat(copy.reward()).isZero();
        assertThat(copy.duplicateGroup()).isEqualTo(r.forUid(2).orElseThrow().duplicateGroup());
        assertThat(r.forUid(2).orElseThrow().reward()).isGreaterThan(0.5);
    }

    @Test
    void contentSentByManyUidsIsPaidOnceWithOrWithoutCopiedOpenings() {
        String addition = "so one half of the planet has summer while the other has winter";
        Miner[] honest = {
                new Miner(0, TILT, tilted(0, 1), 100, 0.5),
                new Miner(5, "another honest view", tilted(30, 5), 100, 0.5)};
        Map<String, float[]> additions = Map.of(addition, tilted(20, 2));
        RoundScores alone = scoreWithAdditions(scorer, additions, honest[0], honest[1],
                new Miner(1, addition, tilted(20, 2), 200, 0.5), new Miner(2, addition, tilted(20, 2), 200, 0.5),
                new Miner(3, addition, tilted(20, 2), 200, 0.5));
        RoundScores padded = scoreWithAdditions(scorer, additions, honest[0], honest[1],
                new Miner(1, TILT + " " + addition, tilted(30, 3), 200, 0.5),
                new Miner(2, TILT + " " + addition, tilted(30, 3), 200, 0.5),
                new Miner(3, TILT + " " + addition, tilted(30, 3), 200, 0.5));
        RoundScores raced = scoreWithAdditions(scorer, additions, honest[0], honest[1],
                new Miner(1, addition, tilted(20, 2), 200, 0.5),
                new Miner(2, TILT + " " + addition, tilted(30, 3), 150, 0.5));

        double alonePaid = alone.scores().stream().filter(x -> x.uid() >= 1 && x.uid() <= 3).mapToDouble(MinerScore::reward).sum();
        double paddedPaid = padded.scores().stream().filter(x -> x.uid() >= 1 && x.uid() <= 3).mapToDouble(MinerScore::reward).sum();
        assertThat(paddedPaid).as("three uids padding one addition").isGreaterThan(0).isLessThanOrEqualTo(alonePaid + 1e-9);
        assertThat(raced.forUid(2).orElseThrow().reward()).as("the padded one came first").isGreaterThan(0);
        assertThat(raced.forUid(1).orElseThrow().penalties()).containsExactly(Penalty.DUPLICATE);
        assertThat(raced.forUid(1).orElseThrow().reward()).isZero();
    }

    @Test
    void aGuessedOpeningSentFirstCostsTheLongerAnswerOnlyItsOpeningAndALaterCopyOfItStaysACopy() {
        String opening = "the tilt of the axis makes the sun shine";
        String rest = "more directly on one half of the planet in summer";
        RoundScores r = scoreWithAdditions(scorer, Map.of(rest, tilted(0, 1)),
                new Miner(0, opening + " " + rest, tilted(0, 1), 200, 0.5),
                new Miner(1, opening, tilted(25, 5), 100, 0.5),
                new Miner(2, "Indeed, " + opening + " " + rest, tilted(1, 1), 300, 0.5),
                new Miner(3, "another honest view", tilted(25, 2), 100, 0.5),
                new Miner(4, "a third honest view", tilted(25, 3), 100, 0.5));

        MinerScore honest = r.forUid(0).orElseThrow();
        assertThat(honest.penalties()).containsExactly(Penalty.COPIED_OPENING);
        assertThat(honest.reward()).isGreaterThan(r.forUid(1).orElseThrow().reward()).isGreaterThan(0.9);
        assertThat(r.forUid(2).orElseThrow().penalties()).containsExactly(Penalty.DUPLICATE);
        assertThat(r.forUid(2).orElseThrow().reward()).isZero();
    }

    @Test
    void anOpeningThatCouldNotBeScoredCountsForNothing() {
        String first = "the tilt of the axis makes the sun shine more directly";
        float[] broken = tilted(0, 1);
        broken[2] = Float.NaN;
        RoundScores r = score(scorer,
                new Miner(0, first, broken, 100, 0.5),
                new Miner(1, first + " on one half of the planet", tilted(30, 2), 200, 0.5),
                new Miner(2, "another honest view", tilted(30, 3), 100, 0.5));

        assertThat(r.forUid(1).orElseThrow().penalties()).isEmpty();
        assertThat(r.forUid(1).orElseThrow().reward()).isGreaterThan(0.3);
    }

    @Test
    void aShortOpeningSentLaterTakesNothingFromTheLongerAnswer() {
        String full = "the tilt of the axis makes the sun shine more directly on one half of the planet in summer";
        String opening = "the tilt of the axis makes the sun shine";
        RoundScores r = score(scorer,
                new Miner(0, full, tilted(0, 1), 100, 0.5),
                new Miner(1, opening, tilted(25, 2), 300, 0.5),
                new Miner(2, "another honest view", tilted(10, 3), 100, 0.5));

        assertThat(r.forUid(0).orElseThrow().penalties()).as("the longer answer, given first").isEmpty();
        assertThat(r.forUid(0).orElseThrow().reward()).isGreaterThan(0.3);
        assertThat(r.forUid(1).orElseThrow().penalties()).isEmpty();
    }

    @Test
    void theScorerListsWhatToEmbedAndRefusesARoundWithoutIt() {
        String original = "the tilt of the axis makes the sun shine more directly on one half of the planet";
        Miner[] round = {
                new Miner(0, original, tilted(0, 1), 100, 0.5),
                new Miner(1, original + " -- and also buy my watches now!", tilted(30, 2), 200, 0.5),
                new Miner(2, original + " ...", tilted(0, 2), 200, 0.5)};
        List<RoundAnswer> answers = new ArrayList<>();
        for (Miner m : round) {
            answers.add(RoundAnswer.answered(m.uid(), m.text(), Duration.ofMillis(m.millis()), m.trust()));
        }

        assertThat(scorer.additionsToEmbed(new Round("question?", answers)))
                .containsExactly("and also buy my watches now!");
        assertThatThrownBy(() -> score(scorer, round))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("uid 1 opens with another miner's answer")
                .hasMessageContaining("additionsToEmbed");
        assertThatThrownBy(() -> scoreWithAdditions(scorer, Map.of("and also buy my watches now!", new float[3]), round))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must have dimension " + DIM);
    }

    @Test
    void aNonFiniteEmbeddingScoresZeroAndSpoilsNoOtherReward() {
        float[] broken = tilted(5, 2);
        broken[3] = Float.NaN;
        Miner[] honest = {
                new Miner(0, "alpha one", tilted(0, 1), 100, 0.5),
                new Miner(1, "alpha two", tilted(20, 2), 100, 0.5),
                new Miner(2, "alpha three", tilted(20, 3), 100, 0.5)};
        RoundScores without = score(scorer, honest);
        RoundScores with = score(scorer, honest[0], honest[1], honest[2], new Miner(3, "broken", broken, 100, 0.5));

        assertThat(with.forUid(3).orElseThrow().reward()).isZero();
        assertThat(with.forUid(3).orElseThrow().penalties()).containsExactly(Penalty.NOT_EMBEDDED);
        for (int uid = 0; uid < 3; uid++) {
            assertThat(with.forUid(uid).orElseThrow().reward()).as("uid %d", uid)
                    .isEqualTo(without.forUid(uid).orElseThrow().reward()).isPositive();
        }
    }

    @Test
    void rewardsStayInTheUnitIntervalOnRandomRounds() {
        Random random = new Random(11);
        String[] sentences = {"one two three four five six seven eight", "alpha beta gamma delta epsilon zeta eta theta",
                "red orange yellow green blue indigo violet black", "short one"};
        java.util.Set<Penalty> seen = java.util.EnumSet.noneOf(Penalty.class);
        for (int round = 0; round < 50; round++) {
            List<Miner> miners = new ArrayList<>();
            for (int uid = 0; uid < 20; uid++) {
                StringBuilder text = new StringBuilder("answer " + uid);
                if (random.nextBoolean()) {
                    text.setLength(0);
                    for (int k = random.nextInt(3); k >= 0; k--) {
                        text.append(sentences[random.nextInt(sentences.length)]).append(". ");
                    }
                }
                float[] v = randomUnit(random);
                if (random.nextInt(20) == 0) {
                    v[0] = Float.NaN;
                }
                miners.add(new Miner(uid, text.toString(), v, random.nextInt(15_000), random.nextDouble()));
            }
            Map<String, float[]> additions = new java.util.HashMap<>();
            for (String addition : scorer.additionsToEmbed(new Round("question?", miners.stream().map(m ->
                    RoundAnswer.answered(m.uid(), m.text(), Duration.ofMillis(m.millis()), m.trust())).toList()))) {
                additions.put(addition, randomUnit(random));
            }
            RoundScores r = scoreWithAdditions(scorer, additions, miners.toArray(Miner[]::new));
            assertThat(r.scores()).allSatisfy(s -> assertThat(s.reward()).isBetween(0.0, 1.0));
            r.scores().forEach(s -> seen.addAll(s.penalties()));
        }
        assertThat(seen).as("the rounds exercise every rule")
                .contains(Penalty.COPIED_OPENING, Penalty.PADDED_COPY, Penalty.DUPLICATE, Penalty.NOT_EMBEDDED);
    }

    private static float[] randomUnit(Random random) {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = (float) random.nextGaussian();
        }
        return unit(v);
    }

    private RoundScores scoreQuery(String query, Map<String, float[]> rests, Miner... miners) {
        List<RoundAnswer> answers = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (Miner m : miners) {
            answers.add(RoundAnswer.answered(m.uid(), m.text(), Duration.ofMillis(m.millis()), m.trust()));
            vectors.add(m.vector());
        }
        Round round = new Round(query, answers);
        assertThat(scorer.additionsToEmbed(round)).containsExactlyInAnyOrderElementsOf(rests.keySet());
        return scorer.score(new EmbeddedRound(round, vectors, EMPTY, QUERY, null, rests));
    }

    @Test
    void anAnswerQuotingTheQueryIsJudgedOnWhatItSaysBesides() {
        String query = "Why do the seasons change?";
        RoundScores r = scoreQuery(query, Map.of("You asked:", axis(5), "The tilt, of course.", tilted(15, 4)),
                new Miner(0, "The axial tilt changes how directly sunlight arrives", tilted(0, 1), 100, 0.5),
                new Miner(1, "Earth's tilt sets the angle of the sun", tilted(20, 2), 100, 0.5),
                new Miner(2, "Because the axis is tilted toward or away from the sun", tilted(20, 3), 100, 0.5),
                // whole, the echo sits near the answers (it shares their topic); what it adds is nothing
                new Miner(3, "You asked: why do the SEASONS change?", tilted(10, 1), 100, 0.5),
                new Miner(4, "Why do the seasons change? The tilt, of course.", tilted(30, 4), 100, 0.5));

        MinerScore echo = r.forUid(3).orElseThrow();
        assertThat(echo.penalties()).containsExactly(Penalty.QUOTED_QUERY);
        assertThat(echo.reward()).as("judged whole it would earn about 0.98").isLessThan(0.05);
        MinerScore restating = r.forUid(4).orElseThrow();
        assertThat(restating.penalties()).containsExactly(Penalty.QUOTED_QUERY);
        assertThat(restating.reward()).as("judged on 'The tilt, of course.', close to the consensus").isGreaterThan(0.9);
    }

    @Test
    void anAnswerThatOnlyRepeatsTheQueryIsAnEchoAndAShortQueryIsNotTakenOut() {
        RoundScores echoes = scoreQuery("Why do the seasons change?", Map.of(),
                new Miner(0, "The axial tilt changes how directly sunlight arrives", tilted(0, 1), 100, 0.5),
                new Miner(1, "Why do the seasons change... why do the seasons change!", tilted(4, 1), 100, 0.5));
        assertThat(echoes.forUid(1).orElseThrow().penalties()).containsExactly(Penalty.ECHO);
        assertThat(echoes.forUid(1).orElseThrow().reward()).isZero();

        RoundScores shortQuery = scoreQuery("Seasons?", Map.of(),
                new Miner(0, "Seasons come from the axial tilt", tilted(0, 1), 100, 0.5),
                new Miner(1, "The tilt makes the seasons", tilted(2, 1), 100, 0.5));
        assertThat(shortQuery.scores()).allSatisfy(score -> assertThat(score.penalties()).isEmpty());
    }

    @Test
    void aQuotedQueryWithoutTheEmbeddingOfTheRestIsRefused() {
        Round round = new Round("Why do the seasons change?",
                List.of(RoundAnswer.answered(0, "Why do the seasons change? Tilt.", Duration.ZERO, 0.5)));
        assertThatThrownBy(() -> scorer.score(new EmbeddedRound(round, List.of(tilted(0, 1)), EMPTY, QUERY, null)))
                .hasMessageContaining("uid 0 quotes the query").hasMessageContaining("additionsToEmbed");
    }

    @Test
    void mismatchedEmbeddingsAreRejectedWithTheUid() {
        Round round = new Round("q", List.of(RoundAnswer.answered(3, "a", Duration.ZERO, 0)));
        assertThatThrownBy(() -> new EmbeddedRound(round, Arrays.asList((float[]) null), EMPTY, QUERY, null))
                .hasMessageContaining("uid 3");
    }

    private static float[] unit(float[] v) {
        double n = Math.sqrt(dot(v, v));
        for (int i = 0; i < v.length; i++) v[i] /= (float) n;
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
