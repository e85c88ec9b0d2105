package dev.chorus.scoring.consensus;

/** Why a miner's reward was cut; reported in {@link MinerScore#penalties()}. */
public enum Penalty {
    /** The miner did not answer (see {@link RoundAnswer#failure()}). */
    NO_ANSWER(true),
    /** The answer was empty, blank or punctuation only. */
    EMPTY(true),
    /**
     * The answer duplicates another miner's: another answered first, the group shares one reward, or the group is a
     * block whose first member is paid only a k-th of it.
     */
    DUPLICATE(false),
    /**
     * The answer opens with other miners' whole answers and adds nothing of its own: nothing at all, only more of
     * their answers, or only the query.
     */
    PADDED_COPY(true),
    /** The answer opens with other miners' whole answers; only what it adds after them was scored. */
    COPIED_OPENING(true),
    /** The answer only repeats the query (with at most what the query quoted in it leaves unsaid). */
    ECHO(true),
    /** The answer contains the whole query; only what it says besides the query was scored. */
    QUOTED_QUERY(false),
    /** The embedding engine gave the answer a non-finite vector, so it could not be placed among the others. */
    NOT_EMBEDDED(true);

    private final boolean faultsTheText;

    Penalty(boolean faultsTheText) {
        this.faultsTheText = faultsTheText;
    }

    /**
     * Whether the answer's text itself is at fault: missing, empty, an echo or built on another's answer. A duplicate
     * or a quoted query only changes how the text was scored or paid; the text may still be a good answer to give.
     */
    public boolean faultsTheText() {
        return faultsTheText;
    }
}
