package dev.chorus.scoring.consensus;

import java.util.Set;

/**
 * One miner's reward for a round, with the figures that produced it.
 *
 * @param uid                  the miner
 * @param reward               in [0, 1]
 * @param similarity           raw cosine between the answer and the consensus; for an answer that opens with others'
 *                             answers, between what it adds and the consensus; NaN when nothing was judged (no
 *                             answer, or nothing of its own)
 * @param calibrated           similarity rescaled so that the empty answer's similarity maps to 0 and 1 stays 1,
 *                             blended with the reference when there is one, clipped to [0, 1]
 * @param referenceSimilarity  raw cosine to the reference answer, NaN when the round has none
 * @param latencyFactor        multiplier in [1 - latencyWeight, 1] earned by answering quickly
 * @param duplicateGroup       a number shared by every uid whose answers are duplicates of each other, -1 if none
 * @param penalties            why the reward was cut, empty when it was not
 */
public record MinerScore(int uid, double reward, double similarity, double calibrated, double referenceSimilarity,
                         double latencyFactor, int duplicateGroup, Set<Penalty> penalties) {

    public MinerScore {
        penalties = Set.copyOf(penalties);
    }

    /** True when the miner returned an answer (even an empty one), as opposed to failing. */
    public boolean answered() {
        return !penalties.contains(Penalty.NO_ANSWER);
    }
}
