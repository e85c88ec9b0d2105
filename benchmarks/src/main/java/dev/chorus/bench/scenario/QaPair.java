package dev.chorus.bench.scenario;

import java.util.List;

/**
 * One question of the simulation's corpus.
 *
 * @param id        stable id, used as the round log's query id
 * @param question  the prompt
 * @param reference a one-sentence reference answer, given to the scorer
 * @param details   true statements on the question; an honest answer is two of them, so honest miners phrase
 *                  their answers differently
 */
public record QaPair(String id, String question, String reference, List<String> details) {

    /** Orders of two details such that no honest answer opens with another's whole text. */
    private static final int[][] PAIRS = {{0, 1}, {2, 3}, {4, 0}, {1, 2}, {3, 4}, {0, 2}, {1, 3}, {2, 4}, {3, 0}, {4, 1}};

    public QaPair {
        details = List.copyOf(details);
        if (details.size() != 5) {
            throw new IllegalArgumentException("Question " + id + " has " + details.size() + " details; give exactly 5");
        }
    }

    /** How many distinct correct answers the question has: ten pairs of details, five reference-led ones. */
    public static int phrasings() {
        return PAIRS.length + 5;
    }

    /**
     * The correct answer in phrasing {@code k} (taken modulo {@link #phrasings()}): two details, or the reference
     * followed by one detail. None opens with another's whole text, so none is judged on what it adds alone.
     */
    public String answer(int k) {
        int at = Math.floorMod(k, phrasings());
        if (at >= PAIRS.length) {
            return reference + " " + details.get(at - PAIRS.length);
        }
        int[] pair = PAIRS[at];
        return details.get(pair[0]) + " " + details.get(pair[1]);
    }
}
