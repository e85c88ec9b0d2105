package dev.chorus.bench.replay;

import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundScores;

/**
 * A scoring rule under study: turns one round of texts into a reward per queried uid, in [0, 1]. A uid that gave
 * no answer must carry {@link dev.chorus.scoring.consensus.Penalty#NO_ANSWER} so the score book decays it as the
 * validator's would. Blocking; implementations embed texts.
 */
public interface BenchScorer {

    /** The name researchers pass on the command line. */
    String name();

    /**
     * Whether this rule can judge the round at all; a round it cannot is replayed with its logged rewards, counted and
     * left out of the comparison.
     */
    default boolean canJudge(Round round) {
        return true;
    }

    RoundScores score(Round round);
}
