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
 * search is linear in each answer's length whatever they send: the query's first characters are looked for with the
 * JDK's vectorised search and each place checked whole, and a text that makes those checks cost more than a few
 * passes over it is searched again with Knuth-Morris-Pratt.
 */
final class QuotedQueries {

    /** Characters of the query looked for first; few enough that the JDK's search of them is linear in practice. */
    static final int PROBE_LENGTH = 8;
    /** Passes over an answer that the checks of probe hits may cost before the search turns to Knuth-Morris-Pratt. */
    private static final int CHECK_BUDGET = 4;

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
        char[] patternChars = pattern.toCharArray();
        int[] fallback = fallback(patternChars);
        String probe = pattern.substring(0, Math.min(PROBE_LENGTH, pattern.length()));
        for (int i = 0; i < remainders.length; i++) {
            TextFingerprint f = fingerprints[i];
            if (f != null) {
                remainders[i] = remainder(answers.get(i).text(), f, query, patternChars, fallback, probe);
            }
        }
        return remainders;
    }

    /**
     * As {@link #remainders} for one text: what it says without every whole occurrence of the query, or null where it
     * does not contain the query, or the query has fewer than {@code minWords} words.
     */
    static String remainder(String text, TextFingerprint query, int minWords) {
        if (query.words() < minWords) {
            return null;
        }
        char[] patternChars = query.text().toCharArray();
        return remainder(text, TextFingerprint.of(text), query, patternChars, fallback(patternChars),
                query.text().substring(0, Math.min(PROBE_LENGTH, patternChars.length)));
    }

    private static String remainder(String text, TextFingerprint f, TextFingerprint query, char[] patternChars,
                                    int[] fallback, String probe) {
        if (f.words() < query.words()) {
            return null;
        }
        List<Integer> firstWords = probed(f.text(), query.text(), probe);
        if (firstWords == null) {
            firstWords = occurrences(f.text(), patternChars, fallback);
        }
        return firstWords.isEmpty() ? null : without(text, firstWords, query.words());
    }

    /**
     * As {@link #occurrences}, by checking each place where {@code probe} (the pattern's start) occurs: fast on every
     * natural text, where the query's first characters come back a few times at most. Null once the checks have cost
     * more than {@link #CHECK_BUDGET} passes over the text, which only a text made to repeat the query's start can do.
     */
    static List<Integer> probed(String text, String pattern, String probe) {
        List<Integer> firstWords = new ArrayList<>();
        long budget = (long) CHECK_BUDGET * text.length() + pattern.length();
        int spacesBefore = 0;
        int countedTo = 0;
        int from = 0;
        for (int at = text.indexOf(probe); at >= 0; at = text.indexOf(probe, from)) {
            budget -= pattern.length();
            if (budget < 0) {
                return null;
            }
            int end = at + pattern.length();
            if ((at == 0 || text.charAt(at - 1) == ' ') && (end == text.length() || end < text.length()
                    && text.charAt(end) == ' ') && text.startsWith(pattern, at)) {
                spacesBefore += spaces(text, countedTo, at);
                countedTo = at;
                firstWords.add(spacesBefore);
                from = end;
            } else {
                from = at + 1;
            }
        }
        return firstWords;
    }

    /**
     * The word index at which each whole, non-overlapping occurrence of {@code pattern} in {@code text} starts, in one
     * pass whatever the text.
     */
    private static List<Integer> occurrences(String text, char[] pattern, int[] fallback) {
        List<Integer> firstWords = new ArrayList<>();
        char[] t = text.toCharArray();
        int m = pattern.length;
        int matched = 0;
        int spacesBefore = 0;
        int countedTo = 0;
        int lastEnd = 0;
        for (int k = 0; k < t.length; k++) {
            char c = t[k];
            while (matched > 0 && pattern[matched] != c) {
                matched = fallback[matched - 1];
            }
            if (pattern[matched] == c && ++matched == m) {
                int start = k + 1 - m;
                boolean whole = (start == 0 || t[start - 1] == ' ') && (k + 1 == t.length || t[k + 1] == ' ');
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
    private static int[] fallback(char[] pattern) {
        int[] fallback = new int[pattern.length];
        int border = 0;
        for (int k = 1; k < pattern.length; k++) {
            while (border > 0 && pattern[k] != pattern[border]) {
                border = fallback[border - 1];
            }
            if (pattern[k] == pattern[border]) {
                border++;
            }
            fallback[k] = border;
        }
        return fallback;
    }

    /** {@code answer} without the {@code length} words that start at each of {@code firstWords}. */
    private static String without(String answer, List<Integer> firstWords, int length) {
        int[] starts = TextFingerprint.wordStarts(answer, firstWords.getLast() + length + 1);
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
