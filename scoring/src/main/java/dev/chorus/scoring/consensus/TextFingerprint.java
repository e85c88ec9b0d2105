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
        WordCounter counter = new WordCounter();
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            i += Character.charCount(cp);
            if (invisible(cp)) {
                continue;
            }
            boolean letter = Character.isLetterOrDigit(cp);
            if (counter.startsWord(letter) && counter.words > 1) {
                text.append(' ');
            }
            if (letter) {
                text.appendCodePoint(Character.toLowerCase(cp));
            }
        }
        return new TextFingerprint(text.toString(), counter.words);
    }

    /**
     * What {@code answer} says after its first {@code words} words as a fingerprint counts them, in the answer's own
     * characters (the model reads punctuation and case the fingerprint drops), stripped; empty when nothing follows.
     * A character that decomposes into the end of one word and the start of the next (½) is kept whole.
     */
    static String after(String answer, int words) {
        WordCounter counter = new WordCounter();
        for (int i = 0; i < answer.length(); ) {
            int cp = answer.codePointAt(i);
            // Decomposing one character at a time yields the letters, digits and separators the whole-text
            // decomposition does: it only differs in the order of combining marks, which fold away.
            boolean starts = false;
            String character = cp < 0x80 ? null : Character.toString(cp);
            if (character == null || Normalizer.isNormalized(character, Normalizer.Form.NFKD)) {
                starts = !invisible(cp) && counter.startsWord(Character.isLetterOrDigit(cp));
            } else {
                for (int part : Normalizer.normalize(character, Normalizer.Form.NFKD).codePoints().toArray()) {
                    starts |= !invisible(part) && counter.startsWord(Character.isLetterOrDigit(part));
                }
            }
            if (starts && counter.words > words) {
                return answer.substring(i).strip();
            }
            i += Character.charCount(cp);
        }
        return "";
    }

    private static boolean invisible(int cp) {
        if (cp < 0x80) {
            // Scored texts are mostly ASCII: its invisible characters are the controls that are not whitespace.
            return cp < 0x09 || (cp > 0x0D && cp < 0x1C) || cp == 0x7F;
        }
        return switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.FORMAT, Character.PRIVATE_USE, Character.UNASSIGNED -> true;
            case Character.CONTROL -> !Character.isWhitespace(cp);
            default -> false;
        };
    }

    boolean isEmpty() {
        return words == 0;
    }

    /** Splits folded text into words: a letter or digit after anything visible that is neither starts one. */
    private static final class WordCounter {
        int words;
        boolean inWord;

        /** Feeds one visible, decomposed code point; true when it starts a word. */
        boolean startsWord(boolean letterOrDigit) {
            boolean starts = letterOrDigit && !inWord;
            if (starts) {
                words++;
            }
            inWord = letterOrDigit;
            return starts;
        }
    }
}
