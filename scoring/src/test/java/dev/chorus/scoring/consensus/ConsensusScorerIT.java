package dev.chorus.scoring.consensus;

import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.chorus.scoring.consensus.Rounds.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConsensusScorerIT {

    private static OnnxEmbeddingModel model;
    private static RoundScorer scorer;

    @BeforeAll
    static void load() {
        model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
        scorer = new RoundScorer(model, new ConsensusScorer(ScoringOptions.defaults()));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void honestRoundRewardsEveryAnswerWell() {
        RoundScores scores = scorer.score(new Round(SEASONS, honest(HONEST_SEASONS)));
        print("honest only", scores);
        assertThat(scores.scores()).allSatisfy(s -> {
            assertThat(s.reward()).isBetween(0.3, 1.0);
            assertThat(s.penalties()).isEmpty();
        });
    }

    @Test
    void honestMajorityRanksAboveOneCopycat() {
        List<RoundAnswer> answers = honest(HONEST_SEASONS);
        answers.add(attacker(50, HONEST_SEASONS.get(2), 2500));
        RoundScores scores = scorer.score(new Round(SEASONS, answers));
        print("copycat", scores);

        assertHonestFirst(scores, HONEST_SEASONS.size(), Set.of(50));
        assertThat(scores.forUid(50).orElseThrow().reward()).isZero();
        assertThat(scores.forUid(50).orElseThrow().penalties()).contains(Penalty.DUPLICATE);
        assertThat(scores.forUid(2).orElseThrow().duplicateGroup()).isEqualTo(scores.forUid(50).orElseThrow().duplicateGroup());
    }

    @Test
    void twoLaterCopiesOfAnHonestAnswerEarnNothing() {
        List<RoundAnswer> answers = honest(HONEST_SEASONS);
        answers.add(attacker(52, HONEST_SEASONS.get(2), 2500));
        answers.add(attacker(53, HONEST_SEASONS.get(2), 2600));
        RoundScores scores = scorer.score(new Round(SEASONS, answers));
        print("two copycats", scores);

        assertHonestFirst(scores, HONEST_SEASONS.size(), Set.of(52, 53));
        for (int uid : List.of(52, 53)) {
            assertThat(scores.forUid(uid).orElseThrow().reward()).as("uid %d", uid).isZero();
            assertThat(scores.forUid(uid).orElseThrow().penalties()).as("uid %d", uid).containsExactly(Penalty.DUPLICATE);
        }
        // Nothing tells an original copied twice from a block's fastest member, so it keeps a third: 0.30 of 0.90.
        MinerScore original = scores.forUid(2).orElseThrow();
        assertThat(original.reward()).isCloseTo(original.calibrated() * original.latencyFactor() / 3, within(1e-9));
        assertThat(original.penalties()).containsExactly(Penalty.DUPLICATE);
    }

    @Test
    void lightlyEditedCopyIsStillADuplicate() {
        List<RoundAnswer> answers = honest(HONEST_SEASONS);
        String edited = HONEST_SEASONS.get(4).replace("Because of the", "It is because of the").replace("June", "June,");
        answers.add(attacker(51, edited, 2600));
        RoundScores scores = scorer.score(new Round(SEASONS, answers));

        assertHonestFirst(scores, HONEST_SEASONS.size(), Set.of(51));
        assertThat(scores.forUid(51).orElseThrow().penalties()).contains(Penalty.DUPLICATE);
    }

    @Test
    void honestMajorityRanksAboveThreeColludersWithTheSameWrongAnswer() {
        for (Topic topic : List.of(
                new Topic(SEASONS, HONEST_SEASONS, WRONG_SEASONS),
                new Topic(PROCESSES, HONEST_PROCESSES, "A process and a thread are exactly the same thing; the two "
                        + "words are interchangeable names the operating system uses for any running program."))) {
            List<RoundAnswer> answers = honest(topic.honest());
            answers.add(attacker(60, topic.wrong(), 900));
            answers.add(attacker(61, topic.wrong(), 950));
            answers.add(attacker(62, topic.wrong(), 1000));
            RoundScores colluded = scorer.score(new Round(topic.query(), answers));
            RoundScores clean = scorer.score(new Round(topic.query(), honest(topic.honest())));
            print("colluders: " + topic.query(), colluded);

            assertHonestFirst(colluded, topic.honest().size(), Set.of(60, 61, 62));
            assertThat(colluded.scores().stream().filter(s -> s.uid() >= 60))
                    .allSatisfy(s -> assertThat(s.penalties()).containsExactly(Penalty.DUPLICATE));
            MinerScore fastest = colluded.forUid(60).orElseThrow();
            assertThat(fastest.reward()).as("a third of what the wrong answer earns")
                    .isCloseTo(fastest.calibrated() * fastest.latencyFactor() / 3, within(1e-9)).isPositive();
            assertThat(colluded.forUid(61).orElseThrow().reward()).isZero();
            assertThat(colluded.forUid(62).orElseThrow().reward()).isZero();
            assertThat(cosine(colluded.consensus(), clean.consensus())).isGreaterThan(0.99);
        }
    }

    @Test
    void productsOnTheModelsRuntimeScoreAsProductsInJavaDo() {
        List<RoundAnswer> answers = honest(HONEST_SEASONS);
        answers.add(attacker(50, HONEST_SEASONS.get(2), 2500));
        answers.add(attacker(60, WRONG_SEASONS, 900));
        answers.add(attacker(61, WRONG_SEASONS, 950));
        answers.add(attacker(62, WRONG_SEASONS, 1000));
        answers.add(attacker(80, HONEST_SEASONS.get(4) + JUNK, 3000));
        answers.add(attacker(81, HONEST_SEASONS.get(5) + JUNK, 3100));
        Round round = new Round(SEASONS, answers);

        RoundScores onRuntime = scorer.score(round);
        RoundScores inJava = new ConsensusScorer(ScoringOptions.defaults())
                .score(round, model.embed(List.of("")).get(0), model::embed);

        assertThat(onRuntime.scores()).hasSameSizeAs(inJava.scores());
        for (int i = 0; i < inJava.scores().size(); i++) {
            MinerScore runtime = onRuntime.scores().get(i);
            MinerScore java = inJava.scores().get(i);
            assertThat(runtime.uid()).isEqualTo(java.uid());
            assertThat(runtime.penalties()).as("uid %d", java.uid()).isEqualTo(java.penalties());
            assertThat(runtime.duplicateGroup()).as("uid %d", java.uid()).isEqualTo(java.duplicateGroup());
            assertThat(runtime.reward()).as("uid %d", java.uid()).isCloseTo(java.reward(), within(1e-6));
        }
        assertThat(onRuntime.forUid(81).orElseThrow().penalties()).as("additions are compared with each other too")
                .containsExactlyInAnyOrder(Penalty.COPIED_OPENING, Penalty.DUPLICATE);
    }

    @Test
    void emptyAndGarbageAnswersEarnAboutNothing() {
        List<RoundAnswer> answers = honest(HONEST_SEASONS);
        answers.add(attacker(70, "", 300));
        answers.add(attacker(71, "   \n ", 300));
        answers.add(attacker(72, "...", 300));
        answers.add(attacker(73, GARBAGE, 400));
        answers.add(attacker(74, "I really enjoy pizza with mushrooms and extra cheese on Friday nights.", 400));
        answers.add(RoundAnswer.failed(75, AnswerFailure.TIMEOUT, Duration.ofSeconds(12), 0.5));
        RoundScores scores = scorer.score(new Round(SEASONS, answers));
        print("empty and garbage", scores);

        assertHonestFirst(scores, HONEST_SEASONS.size(), Set.of(70, 71, 72, 73, 74, 75));
        for (int uid = 70; uid <= 75; uid++) {
            assertThat(scores.forUid(uid).orElseThrow().reward()).as("uid %d", uid).isLessThan(uid == 74 ? 0.15 : 0.06);
        }
        assertThat(scores.forUid(70).orElseThrow().penalties()).containsExactly(Penalty.EMPTY);
        assertThat(scores.forUid(72).orElseThrow().penalties()).containsExactly(Penalty.EMPTY);
        assertThat(scores.forUid(75).orElseThrow().answered()).isFalse();
    }

    @Test
    void answerOpeningWithTheConsensusTextAndContinuingWithJunkRanksBelowTheHonest() {
        RoundScores clean = scorer.score(new Round(SEASONS, honest(HONEST_SEASONS)));
        int closest = clean.scores().stream().max(Comparator.comparingDouble(MinerScore::similarity)).orElseThrow().uid();
        String consensusText = HONEST_SEASONS.get(closest);

        List<RoundAnswer> answers = honest(HONEST_SEASONS);
        answers.add(attacker(80, consensusText + JUNK, 3000));
        String paraphrase = "Earth has seasons because the axis is tilted, so the hemispheres take turns facing the Sun.";
        answers.add(attacker(81, paraphrase + JUNK, 3000));
        List<RoundAnswer> plain = honest(HONEST_SEASONS);
        plain.add(attacker(81, paraphrase, 3000));
        RoundScores withoutJunk = scorer.score(new Round(SEASONS, plain));
        RoundScores scores = scorer.score(new Round(SEASONS, answers));
        print("padded", scores);

        assertHonestFirst(scores, HONEST_SEASONS.size(), Set.of(80));
        assertThat(scores.forUid(80).orElseThrow().penalties()).containsExactly(Penalty.COPIED_OPENING);
        assertThat(scores.forUid(80).orElseThrow().reward()).as("the junk alone is judged").isLessThan(0.15);
        assertThat(scores.forUid(81).orElseThrow().penalties()).isEmpty();
        assertThat(scores.forUid(81).orElseThrow().reward()).isLessThan(withoutJunk.forUid(81).orElseThrow().reward());
    }

    @Test
    void anHonestAnswerWhoseOpeningWordsWereGuessedAndSentFirstKeepsMostOfItsReward() {
        RoundScores clean = scorer.score(new Round(SEASONS, honest(HONEST_SEASONS)));
        String target = HONEST_SEASONS.get(1);
        String guessedOpening = String.join(" ", Arrays.copyOf(target.split(" "), 10));

        List<RoundAnswer> answers = honest(HONEST_SEASONS);
        answers.add(attacker(85, guessedOpening, 300));
        RoundScores scores = scorer.score(new Round(SEASONS, answers));
        print("guessed opening", scores);

        MinerScore victim = scores.forUid(1).orElseThrow();
        assertThat(victim.penalties()).containsExactly(Penalty.COPIED_OPENING);
        assertThat(victim.reward()).as("judged on the rest of its answer")
                .isGreaterThan(0.8 * clean.forUid(1).orElseThrow().reward());
    }

    @Test
    void aControlCharacterTheModelDeletesDoesNotHideACopiedOpening() {
        String addition = " In short, the tilt, not the distance to the Sun, is what makes summer and winter.";
        List<RoundAnswer> plain = honest(HONEST_SEASONS);
        plain.add(attacker(87, HONEST_SEASONS.get(4) + addition, 3000));
        List<RoundAnswer> hidden = honest(HONEST_SEASONS);
        hidden.add(attacker(87, HONEST_SEASONS.get(4).replaceFirst("tilt", "ti\u000Blt") + addition, 3000));
        MinerScore padded = scorer.score(new Round(SEASONS, plain)).forUid(87).orElseThrow();
        RoundScores scores = scorer.score(new Round(SEASONS, hidden));
        print("copied opening with a vertical tab", scores);

        // Read as a word break, the vertical tab (which the model deletes) hid the copy: judged whole, the padded copy
        // earned 0.892, above the 0.800 of the answer it copied.
        assertThat(scores.forUid(87).orElseThrow().penalties()).containsExactly(Penalty.COPIED_OPENING);
        assertThat(scores.forUid(87).orElseThrow().reward()).isCloseTo(padded.reward(), within(1e-9));
    }

    @Test
    void lettersOfOtherScriptsThatLookLatinDoNotHideACopy() {
        String addition = " In short, the tilt, not the distance to the Sun, is what makes summer and winter.";
        List<RoundAnswer> plain = honest(HONEST_SEASONS);
        plain.add(attacker(53, lookalikes(HONEST_SEASONS.get(1)), 2600));
        plain.add(attacker(54, HONEST_SEASONS.get(4) + addition, 2700));
        plain.add(attacker(55, "You asked: " + lookalikes(SEASONS), 200));
        MinerScore padded = scorer.score(new Round(SEASONS, plain)).forUid(54).orElseThrow();
        List<RoundAnswer> answers = new ArrayList<>(plain);
        answers.set(answers.size() - 2, attacker(54, lookalikes(HONEST_SEASONS.get(4)) + addition, 2700));
        RoundScores scores = scorer.score(new Round(SEASONS, answers));
        print("copies in lookalike letters", scores);

        // Read as other letters, one Cyrillic letter in ten hid each copy from the fingerprint, and the model reads
        // them as other tokens: the copy earned 0.902 where its original earned 0.922 and the median honest answer
        // 0.889, the padded copy was judged whole (0.840, not 0.774 for its addition), and the framed query earned
        // 0.702.
        assertThat(scores.forUid(53).orElseThrow().penalties()).containsExactly(Penalty.DUPLICATE);
        assertThat(scores.forUid(53).orElseThrow().reward()).isZero();
        assertThat(scores.forUid(54).orElseThrow().penalties()).containsExactly(Penalty.COPIED_OPENING);
        assertThat(scores.forUid(54).orElseThrow().reward()).isCloseTo(padded.reward(), within(1e-9));
        assertThat(scores.forUid(55).orElseThrow().penalties()).containsExactly(Penalty.QUOTED_QUERY);
        assertHonestFirst(scores, HONEST_SEASONS.size(), Set.of(53, 55));
    }

    /** Every tenth letter that Cyrillic has a lookalike of, written in Cyrillic. */
    private static String lookalikes(String text) {
        String latin = "aeopcxyi";
        String cyrillic = "\u0430\u0435\u043E\u0440\u0441\u0445\u0443\u0456";
        StringBuilder out = new StringBuilder(text.length());
        int seen = 0;
        for (char c : text.toCharArray()) {
            int at = latin.indexOf(c);
            out.append(at >= 0 && seen++ % 10 == 0 ? cyrillic.charAt(at) : c);
        }
        return out.toString();
    }

    @Test
    void twoOtherAnswersJoinedEarnNothing() {
        List<RoundAnswer> answers = honest(HONEST_SEASONS);
        answers.add(attacker(86, HONEST_SEASONS.get(0) + "\n\n" + HONEST_SEASONS.get(3), 3000));
        RoundScores scores = scorer.score(new Round(SEASONS, answers));

        assertThat(scores.forUid(86).orElseThrow().penalties()).containsExactly(Penalty.PADDED_COPY);
        assertThat(scores.forUid(86).orElseThrow().reward()).isZero();
    }

    @Test
    void answerThatEchoesTheQueryEarnsNothing() {
        List<RoundAnswer> answers = honest(HONEST_SEASONS);
        answers.add(attacker(90, "Why does the Earth have seasons", 200));
        RoundScores scores = scorer.score(new Round(SEASONS, answers));

        assertThat(scores.forUid(90).orElseThrow().penalties()).containsExactly(Penalty.ECHO);
        assertHonestFirst(scores, HONEST_SEASONS.size(), Set.of(90));
    }

    @Test
    void answerThatFramesTheQueryIsJudgedOnItsFrameAlone() {
        List<RoundAnswer> answers = honest(HONEST_SEASONS);
        answers.add(attacker(91, "You asked: " + SEASONS, 200));
        answers.add(attacker(92, "Good question! " + SEASONS + " Let me think about that for you.", 200));
        RoundScores scores = scorer.score(new Round(SEASONS, answers));
        print("query framed", scores);

        // Judged whole (min_quoted_query_words above the query's length), the same two answers earned 0.79 and 0.84,
        // more than three of the honest answers: they carry the query's topic, and the model reads little else.
        for (int uid : List.of(91, 92)) {
            assertThat(scores.forUid(uid).orElseThrow().penalties()).containsExactly(Penalty.QUOTED_QUERY);
            assertThat(scores.forUid(uid).orElseThrow().reward()).isLessThan(0.2);
        }
        assertHonestFirst(scores, HONEST_SEASONS.size(), Set.of(91, 92));
    }

    @Test
    void aCopiedOpeningDoesNotShieldTheQueryQuotedAfterIt() {
        String frame = "Good question! " + SEASONS + " Let me think about that for you.";
        List<RoundAnswer> alone = honest(HONEST_SEASONS);
        alone.add(attacker(93, frame, 3000));
        List<RoundAnswer> padded = honest(HONEST_SEASONS);
        padded.add(attacker(93, HONEST_SEASONS.get(4) + " " + frame, 3000));
        MinerScore frameAlone = scorer.score(new Round(SEASONS, alone)).forUid(93).orElseThrow();
        RoundScores scores = scorer.score(new Round(SEASONS, padded));
        print("copied opening, then the query framed", scores);

        // Judged with the query it quotes, the addition earned 0.765, above two honest answers, where the frame sent
        // alone earned 0.014.
        MinerScore copier = scores.forUid(93).orElseThrow();
        assertThat(copier.penalties()).containsExactlyInAnyOrder(Penalty.COPIED_OPENING, Penalty.QUOTED_QUERY);
        assertThat(copier.reward()).isLessThanOrEqualTo(frameAlone.reward());
        assertHonestFirst(scores, HONEST_SEASONS.size(), Set.of(93));
    }

    @Test
    void anEchoSentFirstDoesNotShieldTheQueryQuotedInALaterAnswer() {
        String echo = SEASONS + " " + SEASONS;
        List<RoundAnswer> alone = honest(HONEST_SEASONS);
        alone.add(attacker(94, echo + " Good question! Let me think about that for you.", 3000));
        List<RoundAnswer> shielded = new ArrayList<>(alone);
        shielded.add(attacker(95, echo, 200));
        MinerScore frameAlone = scorer.score(new Round(SEASONS, alone)).forUid(94).orElseThrow();
        RoundScores scores = scorer.score(new Round(SEASONS, shielded));
        print("an echo, then the echo framed", scores);

        // Read as opening with the echo, which nothing sets aside, uid 94 was judged whole, query and all: 0.739 with
        // no penalty, above an honest answer's 0.668, where sent alone it earned 0.014.
        assertThat(scores.forUid(95).orElseThrow().penalties()).containsExactly(Penalty.ECHO);
        MinerScore framed = scores.forUid(94).orElseThrow();
        assertThat(framed.penalties()).containsExactly(Penalty.QUOTED_QUERY);
        assertThat(framed.reward()).isLessThanOrEqualTo(frameAlone.reward());
        assertHonestFirst(scores, HONEST_SEASONS.size(), Set.of(94, 95));
    }

    @Test
    void referenceAnswerPullsRewardsTowardIt() {
        String reference = "Seasons are caused by the 23.5 degree tilt of Earth's axis, which changes the angle of "
                + "sunlight and the length of days in each hemisphere over the year.";
        List<RoundAnswer> answers = honest(HONEST_SEASONS);
        answers.add(attacker(60, WRONG_SEASONS, 900));
        RoundScores without = scorer.score(new Round(SEASONS, answers));
        RoundScores with = scorer.score(new Round(SEASONS, answers, reference));

        double medianHonestToReference = with.scores().stream().filter(s -> s.uid() < HONEST_SEASONS.size())
                .mapToDouble(MinerScore::referenceSimilarity).sorted().toArray()[HONEST_SEASONS.size() / 2];
        assertThat(with.forUid(60).orElseThrow().referenceSimilarity()).isLessThan(medianHonestToReference);
        assertThat(with.forUid(60).orElseThrow().reward()).isLessThan(without.forUid(60).orElseThrow().reward());
        assertThat(without.forUid(0).orElseThrow().referenceSimilarity()).isNaN();
    }

    private static void assertHonestFirst(RoundScores scores, int honestCount, Set<Integer> attackers) {
        double worstHonest = scores.scores().stream().filter(s -> s.uid() < honestCount)
                .mapToDouble(MinerScore::reward).min().orElseThrow();
        double bestAttacker = scores.scores().stream().filter(s -> attackers.contains(s.uid()))
                .mapToDouble(MinerScore::reward).max().orElseThrow();
        assertThat(worstHonest).as("worst honest reward vs best attacker reward").isGreaterThan(bestAttacker);
    }

    private static double cosine(float[] a, float[] b) {
        return dev.chorus.scoring.embedding.CosineSimilarity.between(a, b);
    }

    private static void print(String label, RoundScores scores) {
        List<String> lines = new ArrayList<>();
        for (MinerScore s : scores.scores()) {
            lines.add(String.format("  uid %3d reward %.3f sim %.3f cal %.3f %s", s.uid(), s.reward(), s.similarity(),
                    s.calibrated(), s.penalties()));
        }
        System.out.printf("%s (baseline %.3f, %d iterations)%n%s%n", label, scores.baselineSimilarity(),
                scores.iterations(), lines.stream().collect(Collectors.joining("\n")));
    }

    private record Topic(String query, List<String> honest, String wrong) {
    }
}
