package dev.chorus.scoring.consensus;

import java.text.Normalizer;

/**
 * An answer reduced to what copying cannot hide cheaply, folded the way the embedding model's tokenizer folds text
 * (BERT's normaliser): compatibility-decomposed, accents and invisible characters (format, control other than
 * whitespace, private-use, unassigned) dropped without breaking the word they sit in, lowercased, and every run of
 * punctuation and whitespace collapsed to one space. Two answers with the same fingerprint are copies. A zero-width
 * space inside a copied word changes nothing the model sees, so it must change nothing here either.
 */
record TextFingerprint(String text, int words) {

    static TextFingerprint of(String answer) {
        String folded = Normalizer.isNormalized(answer, Normalizer.Form.NFKD) ? answer
                : Normalizer.normalize(answer, Normalizer.Form.NFKD);
        StringBuilder text = new StringBuilder(folded.length());
        int words = 0;
        boolean inWord = false;
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            i += Character.charCount(cp);
            if (invisible(cp)) {
                continue;
            }
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

    private static boolean invisible(int cp) {
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.FORMAT, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            case Character.CONTROL -> !Character.isWhitespace(cp);
            default -> false;
        };
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
