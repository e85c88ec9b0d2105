package dev.chorus.scoring.consensus;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the answers that open with other miners' whole answers, and what each adds after them. A copier who pads
 * another's answer must be paid for its padding alone, and an honest miner whose opening words someone guessed
 * and sent first must still be paid for the rest of its answer: both come down to judging only the addition.
 *
 * <p>The openings are peeled off one after another, longest first and each source once, so that an answer made of
 * other answers adds nothing. A source must have at least {@code minCopyWords} words, have been given no later than
 * the answer (a copier has to see what it copies), differ from the answer (equal texts are duplicates, paid as a
 * group) and not merely repeat the query (an opening restating the question copies no one).
 *
 * <p>Miners choose the texts, so the search must stay cheap whatever they send. Sources are filed by their first
 * {@code minCopyWords} words, so an answer that opens like no source (the usual case) costs one look-up. Where a
 * source might follow, texts are compared by hash, each text hashed once, and only a hit is compared character by
 * character: no step is quadratic in the length of an answer.
 */
final class CopiedOpenings {

    /**
     * Polynomial hashes modulo the prime 2^31 - 1. Two texts of length L collide for at most L of the possible bases,
     * and the base is drawn per process, so no one can prepare texts that collide; a collision would only cost a
     * comparison.
     */
    private static final long MODULUS = Integer.MAX_VALUE;
    private static final long BASE = 256 + new SecureRandom().nextLong(MODULUS - 512);

    /**
     * @param sources  the answers peeled off the front, as indexes into the round's answers, in order
     * @param addition what is left, in the answer's own characters; empty when the answer adds nothing
     */
    record Opening(List<Integer> sources, String addition) {
        Opening {
            sources = List.copyOf(sources);
        }
    }

    private final List<RoundAnswer> answers;
    private final TextFingerprint[] fingerprints;
    private final int minCopyWords;
    /** Sources by their first minCopyWords words, longest first. */
    private final Map<String, List<Integer>> sourcesByKey = new HashMap<>();
    private final long[][] prefixHashes;
    private final int[] hashedUpTo;
    private long[] powers = {1};

    private CopiedOpenings(List<RoundAnswer> answers, TextFingerprint[] fingerprints, int minCopyWords) {
        this.answers = answers;
        this.fingerprints = fingerprints;
        this.minCopyWords = minCopyWords;
        this.prefixHashes = new long[answers.size()][];
        this.hashedUpTo = new int[answers.size()];
    }

    /**
     * @param fingerprints one per answer, null where the miner did not answer
     * @return one per answer, null where it opens with no other answer
     */
    static Opening[] find(List<RoundAnswer> answers, TextFingerprint[] fingerprints, TextFingerprint query,
                          int minCopyWords) {
        CopiedOpenings search = new CopiedOpenings(answers, fingerprints, minCopyWords);
        int n = answers.size();
        for (int j = 0; j < n; j++) {
            TextFingerprint f = fingerprints[j];
            if (f != null && f.words() >= minCopyWords && !f.text().equals(query.text())) {
                search.sourcesByKey.computeIfAbsent(search.key(f.text(), 0), k -> new ArrayList<>()).add(j);
            }
        }
        Comparator<Integer> longestFirst = Comparator.comparingInt(j -> -fingerprints[j].text().length());
        search.sourcesByKey.values().forEach(list -> list.sort(longestFirst));
        Opening[] openings = new Opening[n];
        for (int i = 0; i < n; i++) {
            TextFingerprint mine = fingerprints[i];
            List<Integer> alike = mine == null || mine.words() <= minCopyWords ? null
                    : search.sourcesByKey.get(search.key(mine.text(), 0));
            if (alike != null && (alike.size() > 1 || alike.getFirst() != i)) {
                openings[i] = search.peel(i);
            }
        }
        return openings;
    }

    private Opening peel(int mine) {
        String text = fingerprints[mine].text();
        List<Integer> sources = new ArrayList<>();
        int at = 0;
        int peeledWords = 0;
        while (at < text.length()) {
            int source = longestAt(mine, text, at, sources);
            if (source < 0) {
                break;
            }
            sources.add(source);
            peeledWords += fingerprints[source].words();
            at += fingerprints[source].text().length() + 1;
        }
        if (sources.isEmpty()) {
            return null;
        }
        String addition = at >= text.length() ? "" : TextFingerprint.after(answers.get(mine).text(), peeledWords);
        return new Opening(sources, addition);
    }

    /** The longest unused source that {@code text} goes on with at {@code at}, or -1. */
    private int longestAt(int mine, String text, int at, List<Integer> used) {
        String key = key(text, at);
        List<Integer> candidates = key == null ? null : sourcesByKey.get(key);
        if (candidates == null) {
            return -1;
        }
        for (int j : candidates) {
            String theirs = fingerprints[j].text();
            int end = at + theirs.length();
            // A source ends on a word boundary; the first may not be the whole answer (that is a duplicate).
            boolean fits = end < text.length() ? text.charAt(end) == ' ' : end == text.length() && at > 0;
            if (fits && j != mine && !used.contains(j)
                    && answers.get(j).latency().compareTo(answers.get(mine).latency()) <= 0
                    && hash(mine, at, end) == hash(j, 0, theirs.length())
                    && text.regionMatches(at, theirs, 0, theirs.length())) {
                return j;
            }
        }
        return -1;
    }

    /** The first minCopyWords words of {@code text} from {@code at}, or null when fewer remain. */
    private String key(String text, int at) {
        int end = at;
        for (int w = 0; w < minCopyWords; w++) {
            if (end > text.length()) {
                return null;
            }
            int space = text.indexOf(' ', end);
            end = space < 0 ? text.length() + 1 : space + 1;
        }
        return text.substring(at, end - 1);
    }

    /**
     * The hash of the answer's fingerprint text between {@code from} and {@code to}. An answer is hashed only as far
     * as it has been asked about: most are compared with sources much shorter than themselves.
     */
    private long hash(int answer, int from, int to) {
        long[] prefix = prefixHashes[answer];
        if (prefix == null) {
            prefix = prefixHashes[answer] = new long[fingerprints[answer].text().length() + 1];
        }
        int hashed = hashedUpTo[answer];
        if (hashed < to) {
            String text = fingerprints[answer].text();
            long baseSquared = power(2);
            int k = hashed;
            // Two characters a step, both from prefix[k]: the chain of dependent multiplications, which bounds the
            // speed of this loop, is half as long. Every term stays below 2^62, so the sum fits reduce.
            for (; k + 1 < to; k += 2) {
                long next = text.charAt(k) + 1;
                prefix[k + 1] = reduce(prefix[k] * BASE + next);
                prefix[k + 2] = reduce(prefix[k] * baseSquared + next * BASE + text.charAt(k + 1) + 1);
            }
            if (k < to) {
                prefix[k + 1] = reduce(prefix[k] * BASE + text.charAt(k) + 1);
            }
            hashedUpTo[answer] = to;
        }
        return reduce(prefix[to] + MODULUS * MODULUS - prefix[from] * power(to - from));
    }

    private long power(int exponent) {
        if (exponent >= powers.length) {
            long[] grown = new long[Math.max(exponent + 1, 2 * powers.length)];
            System.arraycopy(powers, 0, grown, 0, powers.length);
            for (int k = powers.length; k < grown.length; k++) {
                grown[k] = reduce(grown[k - 1] * BASE);
            }
            powers = grown;
        }
        return powers[exponent];
    }

    /** x mod 2^31 - 1, for 0 <= x < 2^63: 2^31 = 1 (mod 2^31 - 1), so the high bits add to the low ones. */
    private static long reduce(long x) {
        long r = (x & MODULUS) + (x >>> 31);
        r = (r & MODULUS) + (r >>> 31);
        return r >= MODULUS ? r - MODULUS : r;
    }
}
