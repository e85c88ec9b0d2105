package dev.chorus.scoring.consensus;

import java.text.Normalizer;

/**
 * An answer reduced to what copying cannot hide cheaply: Unicode-compatibility folded, lowercased, with every
 * run of punctuation and whitespace collapsed to one space. Two answers with the same fingerprint are copies.
 */
record TextFingerprint(String text, int words) {

    static TextFingerprint of(String answer) {
        String folded = Normalizer.isNormalized(answer, Normalizer.Form.NFKC) ? answer
                : Normalizer.normalize(answer, Normalizer.Form.NFKC);
        StringBuilder text = new StringBuilder(folded.length());
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                if (!inWord && words > 0) {
                    text.append(' ');
                }
                if (!inWord) {
                    words++;
                }
                text.appendCodePoint(Character.toLowerCase(cp));
                inWord = true;
            } else {
                inWord = false;
            }
        }
        return new TextFingerprint(text.toString(), words);
    }

    boolean isEmpty() {
        return words == 0;
    }

    /** True when this text opens with all of {@code other}, on a word boundary, and goes on. */
    boolean opensWith(TextFingerprint other) {
        return text.length() > other.text.length() && text.startsWith(other.text)
                && text.charAt(other.text.length()) == ' ';
    }
}
