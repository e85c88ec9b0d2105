package dev.chorus.scoring.consensus;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QuotedQueriesTest {

    private static String[] remainders(String query, int minWords, String... texts) {
        List<RoundAnswer> answers = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            answers.add(RoundAnswer.answered(i, texts[i], Duration.ZERO, 0));
        }
        TextFingerprint[] fingerprints = Arrays.stream(texts).map(TextFingerprint::of).toArray(TextFingerprint[]::new);
        return QuotedQueries.remainders(answers, fingerprints, TextFingerprint.of(query), minWords);
    }

    @Test
    void everyWholeOccurrenceIsTakenOutInTheAnswersOwnCharacters() {
        assertThat(remainders("Why is the sky blue?", 3,
                "You asked: WHY is the sky blue? Rayleigh scattering.",
                "Why is the sky blue? why-is-the-sky-blue! It scatters blue light; why is the sky blue",
                "why is the sky blue",
                "Why is the sky bluest? Nobody knows.",
                "Blue light scatters most."))
                .containsExactly("You asked: Rayleigh scattering.", "It scatters blue light;", "", null, null);
    }

    @Test
    void aQueryShorterThanTheMinimumIsLeftInPlace() {
        assertThat(remainders("Sky colour?", 3, "Sky colour? Blue.")).containsExactly((String) null);
        assertThat(remainders("Sky colour?", 2, "Sky colour? Blue.")).containsExactly("Blue.");
    }

    /**
     * Counted, not timed: checking each of the 100,000 places where the query's start recurs would cost 100,000 passes
     * of the query, so the probe gives up within its budget and the one-pass search finds the occurrence instead.
     */
    @Test
    void theSearchStaysLinearOnTextsMadeToDefeatANaiveOne() {
        String query = "a ".repeat(200) + "b";
        String answer = "a ".repeat(100_000) + "b and more";
        String pattern = TextFingerprint.of(query).text();
        String probe = pattern.substring(0, QuotedQueries.PROBE_LENGTH);
        assertThat(QuotedQueries.probed(TextFingerprint.of(answer).text(), pattern, probe))
                .as("the probe's checks, which must give up past their budget").isNull();
        String[] rest = remainders(query, 3, answer);
        assertThat(rest[0]).startsWith("a a a").endsWith("a and more");
        assertThat(TextFingerprint.of(rest[0]).words()).isEqualTo(100_000 - 200 + 2);
    }

    @Test
    void aNaturalAnswerIsSearchedByProbingTheQuerysStart() {
        String pattern = TextFingerprint.of("Why is the sky blue?").text();
        String answer = TextFingerprint.of("You asked why is the sky blue; why, it scatters blue light").text();
        assertThat(QuotedQueries.probed(answer, pattern, pattern.substring(0, QuotedQueries.PROBE_LENGTH)))
                .as("word index of each whole occurrence").containsExactly(2);
    }
}
