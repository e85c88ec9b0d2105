package dev.chorus.miner.testing;

import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Penalty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Scores with the real embedding model, loaded once for the class. */
class LocalValidatorScoringIT {

    private static final String QUESTION = "Why is the sky blue?";
    private static final List<String> OTHERS = List.of(
            "Sunlight is scattered by the molecules of the air, and blue light, with its shorter wavelength, is scattered"
                    + " much more than red, so the sky looks blue.",
            "Rayleigh scattering: air molecules scatter the short blue wavelengths of sunlight far more strongly than the"
                    + " long red ones.",
            "Nitrogen and oxygen molecules scatter blue light more than other colours, so the light that reaches us from"
                    + " all over the sky is mostly blue.");

    private static final AtomicReference<String> REPLY = new AtomicReference<>();
    private static LocalValidator validator;

    @BeforeAll
    static void start() {
        validator = LocalValidator.builder().miner(query -> REPLY.get().replace("{prompt}", query.prompt()))
                .scoring().start();
    }

    @AfterAll
    static void stop() {
        validator.close();
    }

    private static MinerScore scored(String reply) {
        REPLY.set(reply);
        MinerAnswer answer = validator.ask(QUESTION);
        assertThat(answer).isInstanceOf(MinerAnswer.Ok.class);
        return validator.score(QUESTION, answer, OTHERS);
    }

    @Test
    void echoOfTheQueryEarnsNothing() {
        MinerScore echo = scored("{prompt}");

        assertThat(echo.reward()).as("%s", echo).isZero();
        assertThat(echo.penalties()).contains(Penalty.ECHO);
    }

    /** The bound is the scoring module's own for a framed query (ConsensusScorerIT): the frame's words earn a little. */
    @Test
    void framedEchoOfTheQueryEarnsAboutNothing() {
        MinerScore echo = scored("You asked: {prompt}");

        assertThat(echo.reward()).as("%s", echo).isLessThan(0.2);
        assertThat(echo.penalties()).containsExactly(Penalty.QUOTED_QUERY);
    }

    @Test
    void realAnswerScoresWellAboveTheEcho() {
        MinerScore real = scored("The sky is blue because the air scatters the short blue wavelengths of sunlight more"
                + " than the longer red ones (Rayleigh scattering).");
        MinerScore echo = scored("You asked: {prompt}");

        assertThat(real.reward()).as("%s", real).isGreaterThan(0.5).isGreaterThan(echo.reward() + 0.4);
        assertThat(real.penalties()).isEmpty();
    }

    @Test
    void referenceAnswerIsWeighedInWhenGiven() {
        REPLY.set("Air scatters blue sunlight more than red light.");
        MinerAnswer answer = validator.ask(QUESTION);
        String reference = "Molecules in the air scatter short blue wavelengths of sunlight more than long red ones.";

        assertThat(validator.score(QUESTION, answer, OTHERS, reference).referenceSimilarity())
                .isNotNaN().isGreaterThan(0.5);
        assertThat(validator.score(QUESTION, answer, OTHERS).referenceSimilarity()).isNaN();
    }

    @Test
    void copyOfAnotherAnswerIsPaidNothing() {
        MinerScore copy = scored(OTHERS.get(1));

        assertThat(copy.reward()).isZero();
        assertThat(copy.penalties()).contains(Penalty.DUPLICATE);
    }

    @Test
    void failedAnswerEarnsNothing() {
        MinerScore failed = validator.score(QUESTION, MinerAnswer.failed(LocalValidator.MINER_UID,
                MinerAnswer.Failure.TIMEOUT, "no answer", LocalValidator.DEFAULT_TIMEOUT), OTHERS);

        assertThat(failed.reward()).isZero();
        assertThat(failed.penalties()).contains(Penalty.NO_ANSWER);
    }
}
