package dev.chorus.scoring.consensus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the answers that open with other miners' whole answers, and what each adds after them. A copier who pads
 * another's answer must be paid for its padding alone, and an honest miner whose opening words someone guessed
 * and sent first must still be paid for the rest of its answer: both come down to judging only the addition.
 *
 * <p>The openings are peeled off one after another, longest first, so that an answer made of two others' answers
 * adds nothing. A source must have at least {@code minCopyWords} words, have been given no later than the answer
 * (a copier has to see what it copies), differ from the answer (equal texts are duplicates, paid as a group) and
 * not merely repeat the query (an opening restating the question copies no one).
 */
final class CopiedOpenings {

    /**
     * @param sources  the answers peeled off the front, as indexes into the round's answers, in order
     * @param addition what is left, in the answer's own characters; empty when the answer adds nothing
     */
    record Opening(List<Integer> sources, String addition) {
        Opening {
            sources = List.copyOf(sources);
        }
    }

    private CopiedOpenings() {
    }

    /**
     * @param fingerprints one per answer, null where the miner did not answer
     * @return one per answer, null where it opens with no other answer
     */
    static Opening[] find(List<RoundAnswer> answers, TextFingerprint[] fingerprints, TextFingerprint query,
                          int minCopyWords) {
        int n = answers.size();
        Map<String, List<Integer>> byFirstWord = new HashMap<>();
        for (int j = 0; j < n; j++) {
            TextFingerprint f = fingerprints[j];
            if (f != null && f.words() >= minCopyWords && !f.text().equals(query.text())) {
                byFirstWord.computeIfAbsent(firstWord(f), w -> new ArrayList<>()).add(j);
            }
        }
        Opening[] openings = new Opening[n];
        if (byFirstWord.isEmpty()) {
            return openings;
        }
        for (int i = 0; i < n; i++) {
            TextFingerprint mine = fingerprints[i];
            if (mine == null || mine.words() <= minCopyWords) {
                continue;
            }
            List<Integer> sources = new ArrayList<>();
            TextFingerprint rest = mine;
            int peeled = 0;
            while (rest != null) {
                int source = longestOpening(answers, fingerprints, byFirstWord.getOrDefault(firstWord(rest), List.of()),
                        i, rest);
                if (source < 0) {
                    break;
                }
                sources.add(source);
                TextFingerprint opening = fingerprints[source];
                peeled += opening.words();
                rest = rest.text().equals(opening.text()) ? null : rest.without(opening);
            }
            if (!sources.isEmpty()) {
                openings[i] = new Opening(sources, rest == null ? "" : TextFingerprint.after(answers.get(i).text(), peeled));
            }
        }
        return openings;
    }

    private static String firstWord(TextFingerprint f) {
        int space = f.text().indexOf(' ');
        return space < 0 ? f.text() : f.text().substring(0, space);
    }

    private static int longestOpening(List<RoundAnswer> answers, TextFingerprint[] fingerprints, List<Integer> candidates,
                                      int mine, TextFingerprint rest) {
        RoundAnswer answer = answers.get(mine);
        int best = -1;
        for (int j : candidates) {
            TextFingerprint theirs = fingerprints[j];
            if (j != mine && !theirs.text().equals(fingerprints[mine].text())
                    && answers.get(j).latency().compareTo(answer.latency()) <= 0
                    && (rest.opensWith(theirs) || rest.text().equals(theirs.text()))
                    && (best < 0 || theirs.words() > fingerprints[best].words())) {
                best = j;
            }
        }
        return best;
    }
}
