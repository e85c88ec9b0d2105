package dev.chorus.scoring.consensus;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the answers that contain the whole query, and what each says besides it. Every miner was given the query's
 * words, so repeating them answers nothing; yet they carry the query's topic, and an embedding of "You asked:
 * &lt;query&gt;" sits close to every on-topic answer. Such an answer is judged on the rest alone.
 *
 * <p>Only a query of at least {@code minWords} words counts: a shorter one is too likely to be the answer's own
 * words ("Why is the sky blue?" may well be answered "the sky is blue because ..."). Miners choose the texts, so the
 * search is linear in each answer's length whatever they send (Knuth-Morris-Pratt over the fingerprints).
 */
final class QuotedQueries {

    private QuotedQueries() {
    }

    /**
     * @param fingerprints one per answer, null where the miner did not answer
     * @return one per answer: what it says without every whole occurrence of the query, in its own characters and
     *         stripped (empty when nothing else is left); null where it does not contain the query, or the query has
     *         fewer than {@code minWords} words
     */
    static String[] remainders(List<RoundAnswer> answers, TextFingerprint[] fingerprints, TextFingerprint query,
                               int minWords) {
        String[] remainders = new String[answers.size()];
        if (query.words() < minWords) {
            return remainders;
        }
        String pattern = query.text();
        int[] fallback = fallback(pattern);
        for (int i = 0; i < remainders.length; i++) {
            TextFingerprint f = fingerprints[i];
            if (f == null || f.words() < query.words()) {
                continue;
            }
            List<Integer> firstWords = occurrences(f.text(), pattern, fallback);
            if (!firstWords.isEmpty()) {
                remainders[i] = without(answers.get(i).text(), firstWords, query.words());
            }
        }
        return remainders;
    }

    /** The word index at which each whole, non-overlapping occurrence of {@code pattern} in {@code text} starts. */
    private static List<Integer> occurrences(String text, String pattern, int[] fallback) {
        List<Integer> firstWords = new ArrayList<>();
        int matched = 0;
        int spacesBefore = 0;
        int countedTo = 0;
        int lastEnd = 0;
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            while (matched > 0 && pattern.charAt(matched) != c) {
                matched = fallback[matched - 1];
            }
            if (pattern.charAt(matched) == c) {
                matched++;
            }
            if (matched == pattern.length()) {
                int start = k + 1 - pattern.length();
                boolean whole = (start == 0 || text.charAt(start - 1) == ' ')
                        && (k + 1 == text.length() || text.charAt(k + 1) == ' ');
                if (whole && start >= lastEnd) {
                    // Fingerprint words are separated by single spaces: a word's index is the spaces before it.
                    spacesBefore += spaces(text, countedTo, start);
                    countedTo = start;
                    firstWords.add(spacesBefore);
                    lastEnd = k + 1;
                }
                matched = fallback[matched - 1];
            }
        }
        return firstWords;
    }

    private static int spaces(String text, int from, int to) {
        int n = 0;
        for (int k = from; k < to; k++) {
            if (text.charAt(k) == ' ') {
                n++;
            }
        }
        return n;
    }

    /** Knuth-Morris-Pratt: the length of the longest proper border of each prefix of {@code pattern}. */
    private static int[] fallback(String pattern) {
        int[] fallback = new int[pattern.length()];
        int border = 0;
        for (int k = 1; k < pattern.length(); k++) {
            while (border > 0 && pattern.charAt(k) != pattern.charAt(border)) {
                border = fallback[border - 1];
            }
            if (pattern.charAt(k) == pattern.charAt(border)) {
                border++;
            }
            fallback[k] = border;
        }
        return fallback;
    }

    /** {@code answer} without the {@code length} words that start at each of {@code firstWords}. */
    private static String without(String answer, List<Integer> firstWords, int length) {
        int[] starts = TextFingerprint.wordStarts(answer);
        StringBuilder rest = new StringBuilder();
        int from = 0;
        for (int first : firstWords) {
            append(rest, answer.substring(from, starts[first]));
            from = first + length < starts.length ? starts[first + length] : answer.length();
        }
        append(rest, answer.substring(from));
        return rest.toString();
    }

    private static void append(StringBuilder rest, String part) {
        String stripped = part.strip();
        if (!stripped.isEmpty()) {
            rest.append(rest.isEmpty() ? "" : " ").append(stripped);
        }
    }
}
