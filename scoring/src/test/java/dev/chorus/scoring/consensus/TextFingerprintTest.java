package dev.chorus.scoring.consensus;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextFingerprintTest {

    @Test
    void caseSpacingAndPunctuationDoNotHideACopy() {
        assertThat(TextFingerprint.of("  The Sun's light — DIRECT, longer days!\n"))
                .isEqualTo(TextFingerprint.of("the sun s light direct longer days"));
        assertThat(TextFingerprint.of("the sun s light direct longer days").words()).isEqualTo(7);
    }

    @Test
    void compatibilityFormsFoldToTheirPlainLetters() {
        assertThat(TextFingerprint.of("ｆｕｌｌ　ｗｉｄｔｈ ﬁne")).isEqualTo(TextFingerprint.of("full width fine"));
    }

    @Test
    void invisibleCharactersAndAccentsInsideACopiedWordDoNotHideIt() {
        TextFingerprint original = TextFingerprint.of("Axial tilt causes the seasons");
        assertThat(TextFingerprint.of("Ax\u200bial tilt cau\u00adses the sea\u0000sons")).isEqualTo(original);
        assertThat(TextFingerprint.of("Áxial tïlt causes the seasons")).isEqualTo(original);
        assertThat(TextFingerprint.of("axial\ttilt\ncauses the seasons")).as("whitespace controls still part words")
                .isEqualTo(original);
    }

    @Test
    void charactersTheModelDeletesInsideACopiedWordDoNotHideIt() {
        TextFingerprint original = TextFingerprint.of("Axial tilt causes the seasons");
        // Java calls the first six whitespace; BERT's normaliser deletes them all, so the model reads "seasons".
        for (String deleted : new String[]{"\u000B", "\u000C", "\u001C", "\u001D", "\u001E", "\u001F", "\uFFFD",
                "\uD800", "\u0085"}) {
            assertThat(TextFingerprint.of("Axial tilt causes the sea" + deleted + "sons"))
                    .as("U+%04X inside a word", (int) deleted.charAt(0)).isEqualTo(original);
        }
    }

    @Test
    void lettersOfOtherScriptsThatLookLatinDoNotHideACopy() {
        TextFingerprint original = TextFingerprint.of("The axis is tilted, so each hemisphere takes turns");
        assertThat(TextFingerprint.of("\u0422h\u0435 \u0430xis is tilt\u0435d, s\u043E \u0435\u0430\u0441h "
                + "hemis\u0440here t\u03B1kes turns")).as("Cyrillic and Greek lookalikes, either case")
                .isEqualTo(original);
        assertThat(TextFingerprint.of("\u041F\u041E\u0416\u0410\u0420")).as("case still changes nothing")
                .isEqualTo(TextFingerprint.of("\u043F\u043E\u0436\u0430\u0440"));
        assertThat(TextFingerprint.of("\u043F\u043E\u0436\u0430\u0440").text()).as("letters unlike any Latin one")
                .isEqualTo("\u043Fo\u0436ap");
    }

    /** Decomposing makes a lunate sigma, which looks like c, another sigma before any letter is read as Latin. */
    @Test
    void lunateSigmasThatLookLikeCDoNotHideACopy() {
        assertThat(TextFingerprint.of("The \u03F2ells and \u03F9ells")).isEqualTo(TextFingerprint.of("The cells and Cells"));
    }

    /** The fingerprint is written into an array as long as the text: these are the cases that fill it. */
    @Test
    void lettersOutsideTheBasicPlaneAndOneLetterWordsFoldInPlace() {
        assertThat(TextFingerprint.of("\uD801\uDC00\uD801\uDC01 a")).as("Deseret capitals lowercase in their plane")
                .isEqualTo(TextFingerprint.of("\uD801\uDC28\uD801\uDC29 A"));
        assertThat(TextFingerprint.of("\uD801\uDC00\uD801\uDC01 a").text()).isEqualTo("\uD801\uDC28\uD801\uDC29 a");
        assertThat(TextFingerprint.of("\uD835\uDC00.B").text()).as("a bold capital decomposes to one letter")
                .isEqualTo("a b");
        assertThat(TextFingerprint.of("a.b,c d").text()).isEqualTo("a b c d");
        assertThat(TextFingerprint.of(".a").text()).isEqualTo("a");
    }

    @Test
    void everyAsciiCharacterFoldsAsTheUnicodeTablesSay() {
        for (char c = 0; c < 0x80; c++) {
            TextFingerprint alone = TextFingerprint.of("x" + c + "y");
            if (Character.isLetterOrDigit(c)) {
                assertThat(alone.text()).as("U+%04X", (int) c).isEqualTo("x" + Character.toLowerCase(c) + "y");
            } else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F) {
                assertThat(alone.text()).as("U+%04X is deleted", (int) c).isEqualTo("xy");
            } else {
                assertThat(alone.text()).as("U+%04X parts words", (int) c).isEqualTo("x y");
            }
        }
    }

    @Test
    void asciiFoldsTheSameWhereTheTextAlsoHoldsOtherCharacters() {
        // Such a text is decomposed; an ASCII text skips that, and must fold the same.
        for (char c = 0; c < 0x80; c++) {
            TextFingerprint ascii = TextFingerprint.of("x" + c + "y");
            TextFingerprint mixed = TextFingerprint.of("x" + c + "y \u00E9t\u00E9");
            assertThat(mixed.text()).as("U+%04X", (int) c).isEqualTo(ascii.text() + " ete");
            assertThat(mixed.words()).as("U+%04X", (int) c).isEqualTo(ascii.words() + 1);
        }
    }

    @Test
    void punctuationOnlyIsEmpty() {
        assertThat(TextFingerprint.of("... !!! —").isEmpty()).isTrue();
    }

    @Test
    void afterKeepsTheAnswersOwnCharactersFromTheNextWordOn() {
        assertThat(TextFingerprint.after("The tilt, of course!  Then: MORE words.", 4)).isEqualTo("Then: MORE words.");
        assertThat(TextFingerprint.after("Ax\u200bial tïlt — causes", 2)).isEqualTo("causes");
        assertThat(TextFingerprint.after("ﬁne ｗｉｄｔｈ, Élan", 2)).isEqualTo("Élan");
        assertThat(TextFingerprint.after("one two three", 3)).isEmpty();
        assertThat(TextFingerprint.after("one two three ...!", 3)).isEmpty();
        assertThat(TextFingerprint.after("one two", 0)).isEqualTo("one two");
    }

    @Test
    void afterCountsWordsAsTheFingerprintDoes() {
        String answer = "Ｓｏｍｅ 1/2 of the ﬁrst\u00ad wórds, then the rest";
        TextFingerprint whole = TextFingerprint.of(answer);
        for (int k = 0; k < whole.words(); k++) {
            TextFingerprint rest = TextFingerprint.of(TextFingerprint.after(answer, k));
            assertThat(rest.words()).as("after %d words", k).isEqualTo(whole.words() - k);
            assertThat(whole.text()).as("after %d words", k).endsWith(rest.text());
        }
    }
}
