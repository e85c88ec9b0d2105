package dev.chorus.scoring.consensus;

import java.text.Normalizer;
import java.util.Arrays;

/**
 * An answer reduced to what copying cannot hide cheaply, folded the way the embedding model's tokenizer folds text
 * (BERT's normaliser): compatibility-decomposed, accents and the characters the normaliser deletes (format, every
 * control but tab, line feed and carriage return, private-use, unassigned, lone surrogates, U+FFFD) dropped without
 * breaking the word they sit in, lowercased, and every run of punctuation and whitespace collapsed to one space. Two
 * answers with the same fingerprint are copies. A zero-width space or a vertical tab inside a copied word changes
 * nothing the model sees, so it must change nothing here either.
 *
 * <p>Unlike the model, it also reads the Cyrillic, Greek and Armenian letters that look like Latin ones as those Latin
 * letters. The model reads "s\u0435asons" with a Cyrillic e as other tokens than "seasons", so a copy with one such
 * letter in ten had a cosine of about 0.92 with its original, under the duplicate threshold, and was paid as an answer
 * of its own; a reader sees the same text, so here it is the same text.
 */
record TextFingerprint(String text, int words) {

    /**
     * Lowercase Cyrillic, Greek and Armenian letters and the Latin letters they, or their capitals, look like, at the
     * same index. Read after lowercasing, so that case still changes nothing: a Greek capital Nu and a small nu are
     * one letter here, read as the small one's v. Read after decomposing, too, which has made the lunate sigmas that
     * look like c and C (U+03F2, U+03F9) a final sigma and a capital sigma: so both sigmas read as c.
     */
    private static final String LOOKALIKES = "\u0430\u0432\u0435\u043A\u043C\u043D\u043E\u0440\u0441\u0442"
            + "\u0443\u0445\u0455\u0456\u0458\u04BB\u0501\u051B\u051D\u04CF\u03B1\u03B2\u03B5\u03B6\u03B7"
            + "\u03B9\u03BA\u03BC\u03BD\u03BF\u03C1\u03C4\u03C5\u03C7\u03C2\u03C3\u0585\u057D";
    private static final String LATIN = "abekmhopctyxsijhdqwlabezhikmvoptuxccou";

    static TextFingerprint of(String answer) {
        String folded = isAscii(answer) || Normalizer.isNormalized(answer, Normalizer.Form.NFKD) ? answer
                : Normalizer.normalize(answer, Normalizer.Form.NFKD);
        // Folding never lengthens a text: lowercasing keeps a code point in the plane it is in, and the space before
        // a word stands where a visible separator was dropped. A char array rather than a StringBuilder halves the
        // time a round's fingerprints take.
        char[] text = new char[folded.length()];
        int length = 0;
        WordCounter counter = new WordCounter();
        for (int i = 0; i < folded.length(); ) {
            int cp = folded.codePointAt(i);
            i += Character.charCount(cp);
            if (invisible(cp)) {
                continue;
            }
            boolean letter = Character.isLetterOrDigit(cp);
            if (counter.startsWord(letter) && counter.words > 1) {
                text[length++] = ' ';
            }
            if (letter) {
                length += Character.toChars(latin(Character.toLowerCase(cp)), text, length);
            }
        }
        return new TextFingerprint(new String(text, 0, length), counter.words);
    }

    /** Most answers are ASCII, which decomposes to itself: checking that is cheaper than asking the normaliser. */
    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * What {@code answer} says after its first {@code words} words as a fingerprint counts them, in the answer's own
     * characters (the model reads punctuation and case the fingerprint drops), stripped; empty when nothing follows.
     * A character that decomposes into the end of one word and the start of the next (½) is kept whole.
     */
    static String after(String answer, int words) {
        int[] starts = wordStarts(answer, words + 1);
        return words < starts.length ? answer.substring(starts[words]).strip() : "";
    }

    /**
     * Where each word of {@code answer}, as a fingerprint counts them, begins in the answer's own characters: entry k
     * is the index of the character that starts word k + 1. A character that decomposes into several words (½) is
     * where each of them starts. Only the first {@code limit} are looked for: the rest of the answer is not read.
     */
    static int[] wordStarts(String answer, int limit) {
        WordCounter counter = new WordCounter();
        int[] starts = new int[Math.min(answer.length(), 16)];
        for (int i = 0; i < answer.length() && counter.words < limit; ) {
            int cp = answer.codePointAt(i);
            int before = counter.words;
            // Decomposing one character at a time yields the letters, digits and separators the whole-text
            // decomposition does: it only differs in the order of combining marks, which fold away.
            String character = cp < 0x80 ? null : Character.toString(cp);
            if (character == null || Normalizer.isNormalized(character, Normalizer.Form.NFKD)) {
                if (!invisible(cp)) {
                    counter.startsWord(Character.isLetterOrDigit(cp));
                }
            } else {
                for (int part : Normalizer.normalize(character, Normalizer.Form.NFKD).codePoints().toArray()) {
                    if (!invisible(part)) {
                        counter.startsWord(Character.isLetterOrDigit(part));
                    }
                }
            }
            for (int w = before; w < counter.words; w++) {
                if (w == starts.length) {
                    starts = Arrays.copyOf(starts, Math.max(16, 2 * starts.length));
                }
                starts[w] = i;
            }
            i += Character.charCount(cp);
        }
        return Arrays.copyOf(starts, counter.words);
    }

    /**
     * What BERT's normaliser deletes before it splits words. Its whitespace is Unicode's, not Java's: vertical tab,
     * form feed and the separators U+001C to U+001F are controls it deletes, so "sea\u000Bsons" is "seasons" to the
     * model and must be one word here too.
     */
    private static boolean invisible(int cp) {
        if (cp < 0x80) {
            // Scored texts are mostly ASCII: its invisible characters are the controls but tab, line feed and return.
            return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F;
        }
        return cp == 0xFFFD || switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.FORMAT, Character.CONTROL, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.SURROGATE -> true;
            default -> false;
        };
    }

    /** The Latin letter the lowercase {@code cp} looks like, or {@code cp}. */
    private static int latin(int cp) {
        if (cp < 0x370) {
            return cp;
        }
        int at = LOOKALIKES.indexOf(cp);
        return at < 0 ? cp : LATIN.charAt(at);
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
