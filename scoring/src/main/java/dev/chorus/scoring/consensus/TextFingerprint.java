package dev.chorus.scoring.consensus;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An answer reduced to what copying cannot hide cheaply: Unicode-compatibility folded, lowercased, with every
 * run of punctuation and whitespace collapsed to one space. Two answers with the same fingerprint are copies.
 */
record TextFingerprint(String text, int words) {

    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

    static TextFingerprint of(String answer) {
        String folded = Normalizer.normalize(answer, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        String text = SEPARATORS.matcher(folded).replaceAll(" ").strip();
        int words = text.isEmpty() ? 0 : (int) text.chars().filter(ch -> ch == ' ').count() + 1;
        return new TextFingerprint(text, words);
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
