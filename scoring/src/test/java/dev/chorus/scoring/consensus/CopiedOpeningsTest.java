package dev.chorus.scoring.consensus;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CopiedOpeningsTest {

    private static final String QUERY = "why are there seasons on the earth at all today";
    private static final String EIGHT = "the tilt of the axis makes the seasons";

    /** Texts given in order, 100 ms apart. */
    private static CopiedOpenings.Opening[] find(String... texts) {
        List<RoundAnswer> answers = new ArrayList<>();
        TextFingerprint[] fingerprints = new TextFingerprint[texts.length];
        for (int i = 0; i < texts.length; i++) {
            answers.add(RoundAnswer.answered(i, texts[i], Duration.ofMillis(100L * (i + 1)), 0.5));
            fingerprints[i] = TextFingerprint.of(texts[i]);
        }
        return CopiedOpenings.find(answers, fingerprints, TextFingerprint.of(QUERY), 8);
    }

    @Test
    void anOpeningIsAWholeEarlierAnswerEndingOnAWordBoundary() {
        CopiedOpenings.Opening[] o = find(EIGHT, EIGHT + ", and more", EIGHT + "x and more", "The Tilt of the axis — makes the seasons! More.");

        assertThat(o[0]).as("nothing earlier").isNull();
        assertThat(o[1].sources()).containsExactly(0);
        assertThat(o[1].addition()).isEqualTo("and more");
        assertThat(o[2]).as("a longer last word is another word").isNull();
        assertThat(o[3].sources()).as("case and punctuation do not hide it").containsExactly(0);
        assertThat(o[3].addition()).isEqualTo("More.");
    }

    @Test
    void invisibleCharactersInsideACopiedWordDoNotHideIt() {
        CopiedOpenings.Opening[] o = find(EIGHT, "the ti\u200blt of the áxis makes the seasons and then junk");
        assertThat(o[1].sources()).containsExactly(0);
        assertThat(o[1].addition()).isEqualTo("and then junk");
    }

    @Test
    void aLaterAnswerIsNoSourceNorIsAnEqualOneOrTheQueryOrAShortOne() {
        CopiedOpenings.Opening[] o = find(EIGHT + " and more", EIGHT, EIGHT + " and more!", QUERY,
                QUERY + " because of the tilt", "the tilt", "the tilt of the axis makes it hot");

        assertThat(o[0]).as("its opening came later").isNull();
        assertThat(o[2].sources()).as("uid 0 is an equal text, uid 1 an opening").containsExactly(1);
        assertThat(o[4]).as("restating the question copies no one").isNull();
        assertThat(o[6]).as("'the tilt' is under 8 words").isNull();
    }

    @Test
    void openingsArePeeledLongestFirstAndEachSourceOnce() {
        String second = "one half of the planet leans toward the sun";
        CopiedOpenings.Opening[] o = find(EIGHT, EIGHT + " in summer and winter alike", second,
                EIGHT + " in summer and winter alike. " + second + ". " + EIGHT + " again");

        assertThat(o[3].sources()).as("uid 1 before its own opening, uid 0").containsExactly(1, 2, 0);
        assertThat(o[3].addition()).isEqualTo("again");
        assertThat(find(EIGHT, second, EIGHT + " " + second)[2].addition()).as("nothing of its own").isEmpty();
        CopiedOpenings.Opening twice = find(EIGHT, EIGHT + " " + EIGHT + " more")[1];
        assertThat(twice.sources()).containsExactly(0);
        assertThat(twice.addition()).as("a source is peeled once").isEqualTo(EIGHT + " more");
    }

    @Test
    void aRoundOfLongSelfSimilarAnswersIsSearchedOnce() {
        String[] texts = new String[64];
        texts[0] = "a a a a a a a a";
        for (int i = 1; i < texts.length; i++) {
            texts[i] = "a ".repeat(4_000 + i) + "z" + i;
        }
        CopiedOpenings.Opening[] o = find(texts);

        for (int i = 1; i < texts.length; i++) {
            assertThat(o[i].sources()).as("answer %d", i).containsExactly(0);
            assertThat(TextFingerprint.of(o[i].addition()).words()).isEqualTo(4_000 + i - 8 + 1);
        }
    }
}
