package dev.chorus.validator.organic;

import dev.chorus.chain.Metagraph;
import dev.chorus.validator.state.RoundRecord;

/** What organic rounds need from the validator that runs them. */
public interface OrganicHost {

    /** The latest metagraph, or null before the first sync. */
    Metagraph metagraph();

    /** The validator's current score of {@code uid} (0 when unknown); also the trust given to the scorer. */
    double score(int uid);

    /**
     * Records a scored organic round: moves each asked uid's score {@code scoreWeight} of a synthetic round's step
     * toward its logged reward (0 leaves the score book alone) and appends the round to the round log, where a failed
     * append is the validator's to report as it reports a synthetic round's. Called on the organic worker pool; may
     * block.
     */
    void record(RoundRecord round, double scoreWeight);
}
