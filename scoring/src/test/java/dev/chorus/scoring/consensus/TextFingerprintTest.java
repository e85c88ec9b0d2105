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
    void punctuationOnlyIsEmpty() {
        assertThat(TextFingerprint.of("... !!! —").isEmpty()).isTrue();
    }

    @Test
    void opensWithNeedsAWholeWordBoundary() {
        TextFingerprint original = TextFingerprint.of("axial tilt causes seasons");
        assertThat(TextFingerprint.of("Axial tilt causes seasons, and more.").opensWith(original)).isTrue();
        assertThat(TextFingerprint.of("axial tilt causes seasonsx").opensWith(original)).isFalse();
        assertThat(original.opensWith(original)).isFalse();
    }
}
