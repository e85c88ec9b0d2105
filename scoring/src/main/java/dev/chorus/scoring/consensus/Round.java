package dev.chorus.scoring.consensus;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One query and every queried miner's outcome.
 *
 * @param query           the prompt sent to the miners
 * @param answers         one entry per queried uid (uids must be distinct)
 * @param referenceAnswer the validator's own answer to blend in, or null when the query has none
 */
public record Round(String query, List<RoundAnswer> answers, String referenceAnswer) {

    public Round {
        Objects.requireNonNull(query, "query");
        answers = List.copyOf(answers);
        Set<Integer> seen = new HashSet<>();
        for (RoundAnswer a : answers) {
            if (!seen.add(a.uid())) {
                throw new IllegalArgumentException("uid " + a.uid() + " appears twice in the round; give one answer per uid");
            }
        }
    }

    public Round(String query, List<RoundAnswer> answers) {
        this(query, answers, null);
    }
}
