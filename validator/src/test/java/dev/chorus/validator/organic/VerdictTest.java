package dev.chorus.validator.organic;

import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.protocol.QueryResponse;
import dev.chorus.scoring.consensus.AnswerFailure;
import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.EmbeddedRound;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.consensus.RoundScores;
import dev.chorus.scoring.consensus.ScoringOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The choice of answer and the agreement, on the real scorer with hand-made embeddings. */
class VerdictTest {

    static final float[] EMPTY = {0, 0, 0, 1};
    static final float[] QUERY = {0, 0, 1, 0};
    static final float[] CENTRE = unit(1, 0, 0.05f, 0);
    static final float[] LEFT = unit(0.9f, 0.44f, 0.05f, 0);
    static final float[] RIGHT = unit(0.9f, -0.44f, 0.05f, 0);
    static final float[] FAR = unit(0, 1, 0.2f, 0.2f);

    /** One scripted reply: text (null = failed), its embedding and its latency. */
    record Reply(int uid, String text, float[] vector, long latencyMs) {
    }

    static float[] unit(float... v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    static Verdict verdict(Reply... replies) {
        return verdict(uid -> 0.5, replies);
    }

    static Verdict verdict(java.util.function.IntToDoubleFunction standing, Reply... replies) {
        return verdict(standing, Map.of(), replies);
    }

    static Verdict verdict(java.util.function.IntToDoubleFunction standing, Map<String, float[]> additions,
                           Reply... replies) {
        List<RoundAnswer> answers = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        List<Asked> asked = new ArrayList<>();
        for (Reply r : replies) {
            Duration latency = Duration.ofMillis(r.latencyMs());
            MinerAnswer answer = r.text() == null
                    ? MinerAnswer.failed(r.uid(), MinerAnswer.Failure.TIMEOUT, "late", latency)
                    : MinerAnswer.ok(r.uid(), new QueryResponse("q", r.text(), null, null), latency);
            answers.add(r.text() == null ? RoundAnswer.failed(r.uid(), AnswerFailure.TIMEOUT, latency, 0.5)
                    : RoundAnswer.answered(r.uid(), r.text(), latency, 0.5));
            vectors.add(r.vector());
            asked.add(new Asked(Fixtures.neuron(r.uid(), true, false), answer, false));
        }
        RoundScores scores = new ConsensusScorer(ScoringOptions.defaults())
                .score(new EmbeddedRound(new Round("what is it?", answers), vectors, EMPTY, QUERY, null, additions));
        return Verdict.of(asked, scores, standing);
    }

    @Test
    void returnsTheAnswerNearestTheConsensusAndRanksTheRest() {
        Verdict v = verdict(new Reply(1, "left answer", LEFT, 10), new Reply(2, "the centre answer", CENTRE, 30),
                new Reply(3, "right answer", RIGHT, 20), new Reply(4, "something else entirely", FAR, 5),
                new Reply(5, null, null, 700));
        assertThat(v.chosen()).map(RankedAnswer::uid).contains(2);
        assertThat(v.chosen().orElseThrow().answer()).isEqualTo("the centre answer");
        assertThat(v.ranked()).extracting(RankedAnswer::uid).startsWith(2).endsWith(4, 5);
        assertThat(v.others()).extracting(RankedAnswer::uid).doesNotContain(2).hasSize(4);
        assertThat(v.ranked().get(4).failure()).isEqualTo("TIMEOUT");
    }

    @Test
    void anAnswerThatRestatesTheQuestionCanStillBeReturned() {
        Verdict v = verdict(uid -> 0.5, Map.of("The centre answer.", CENTRE), new Reply(1, "left answer", LEFT, 10),
                new Reply(2, "What is it? The centre answer.", FAR, 30), new Reply(3, "right answer", RIGHT, 20));
        assertThat(v.chosen()).map(RankedAnswer::uid).contains(2);
        assertThat(v.chosen().orElseThrow().answer()).isEqualTo("What is it? The centre answer.");
        assertThat(v.chosen().orElseThrow().penalties()).containsExactly("QUOTED_QUERY");
    }

    @Test
    void aLaterCopyOfTheBestAnswerIsNeverReturned() {
        Verdict v = verdict(new Reply(1, "left answer", LEFT, 10), new Reply(2, "the centre answer", CENTRE, 30),
                new Reply(3, "right answer", RIGHT, 20), new Reply(7, "The centre answer!", CENTRE, 40));
        assertThat(v.chosen()).map(RankedAnswer::uid).contains(2);
        RankedAnswer copy = v.others().stream().filter(r -> r.uid() == 7).findFirst().orElseThrow();
        assertThat(copy.penalties()).contains("DUPLICATE");
    }

    @Test
    void aCopyThatHappensToBeFasterIsNotReturnedOverTheBetterStandingOriginal() {
        Verdict v = verdict(uid -> uid == 7 ? 0.05 : 0.6, new Reply(1, "left answer", LEFT, 10),
                new Reply(2, "the centre answer", CENTRE, 30), new Reply(3, "right answer", RIGHT, 20),
                new Reply(7, "The centre answer!", CENTRE, 25));
        assertThat(v.chosen()).map(RankedAnswer::uid).contains(2);
    }

    @Test
    void copiesDoNotRaiseTheAgreement() {
        Verdict honest = verdict(new Reply(1, "left answer", LEFT, 10), new Reply(2, "far answer", FAR, 30),
                new Reply(3, "right answer", RIGHT, 20));
        Verdict copied = verdict(new Reply(1, "left answer", LEFT, 10), new Reply(2, "far answer", FAR, 30),
                new Reply(3, "right answer", RIGHT, 20), new Reply(8, "far answer", FAR, 50),
                new Reply(9, "far answer.", FAR, 60));
        assertThat(copied.agreement()).isCloseTo(honest.agreement(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void anAnswerThatOpensWithAnotherIsNeitherReturnedNorCountedInTheAgreement() {
        String left = "the left answer goes on for nine words in all";
        Reply[] honest = {new Reply(1, left, LEFT, 10), new Reply(2, "far answer", FAR, 30),
                new Reply(3, "right answer", RIGHT, 20)};
        Verdict without = verdict(honest);
        Verdict with = verdict(uid -> 0.5, Map.of("and then the centre", CENTRE), honest[0], honest[1], honest[2],
                new Reply(8, left + ", and then the centre", unit(1, 0.1f, 0.05f, 0), 40));

        RankedAnswer padded = with.ranked().stream().filter(r -> r.uid() == 8).findFirst().orElseThrow();
        assertThat(padded.penalties()).containsExactly("COPIED_OPENING");
        assertThat(with.chosen()).map(RankedAnswer::uid).isNotEqualTo(java.util.Optional.of(8));
        assertThat(with.agreement()).isCloseTo(without.agreement(), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void agreementIsHighForClusteredAnswersAndLowForScatteredOnes() {
        Verdict clustered = verdict(new Reply(1, "left answer", LEFT, 10), new Reply(2, "centre", CENTRE, 10),
                new Reply(3, "right answer", RIGHT, 10));
        Verdict scattered = verdict(new Reply(1, "left answer", LEFT, 10), new Reply(2, "far", FAR, 10),
                new Reply(3, "query-ish", unit(0.1f, 0.1f, 0.9f, 0.3f), 10));
        assertThat(clustered.agreement()).isBetween(0.8, 1.0);
        assertThat(scattered.agreement()).isBetween(0.0, clustered.agreement() - 0.2);
    }

    @Test
    void returnsNothingWhenEveryAnswerIsPenalisedOrFailed() {
        Verdict v = verdict(new Reply(1, "", EMPTY, 10), new Reply(2, "...", EMPTY, 10), new Reply(3, null, null, 10));
        assertThat(v.chosen()).isEmpty();
        assertThat(v.agreement()).isZero();
        assertThat(v.ranked()).hasSize(3);
    }
}
