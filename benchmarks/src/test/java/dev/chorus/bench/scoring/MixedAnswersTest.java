package dev.chorus.bench.scoring;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.function.ToIntFunction;

import static org.assertj.core.api.Assertions.assertThat;

class MixedAnswersTest {

    /** Words stand in for tokens: the generator only needs a count that grows with the text. */
    private static final ToIntFunction<String> WORDS = text -> text.isBlank() ? 0 : text.split(" ").length;

    @Test
    void textsAreDistinctAndSpreadOverTheRange() {
        List<String> texts = MixedAnswers.generate(1_000, 10, 300, 42, WORDS);

        assertThat(texts).hasSize(1_000);
        assertThat(new HashSet<>(texts)).as("distinct texts").hasSize(1_000);
        assertThat(texts).allSatisfy(t -> assertThat(WORDS.applyAsInt(t)).isBetween(10, 300));
        assertThat(texts.stream().mapToInt(WORDS).filter(n -> n < 40).count()).as("short texts").isGreaterThan(50);
        assertThat(texts.stream().mapToInt(WORDS).filter(n -> n > 270).count()).as("long texts").isGreaterThan(50);
    }

    @Test
    void theSameSeedGivesTheSameTexts() {
        assertThat(MixedAnswers.generate(200, 10, 300, 7, WORDS)).isEqualTo(MixedAnswers.generate(200, 10, 300, 7, WORDS));
    }
}
