package dev.chorus.validator.state;

import java.util.List;

/**
 * One line of the round log: enough to score the round again exactly (the researchers' replay reads it).
 *
 * @param round       the validator's round counter
 * @param timestampMs when the round started (Unix ms)
 * @param block       chain head when the round started
 * @param queryId     id of the query in the query set
 * @param prompt      the question sent (empty for organic rounds whose prompt may not be stored)
 * @param reference   the query's reference answer, if it has one
 * @param organic     asked by a user rather than drawn from the query set
 * @param miners      one entry per miner queried
 */
public record RoundRecord(long round, long timestampMs, long block, String queryId, String prompt, String reference,
                          boolean organic, List<MinerRecord> miners) {

    public RoundRecord {
        miners = List.copyOf(miners);
    }

    /**
     * @param answer    the answer text, null when the miner failed
     * @param failure   the failure kind (TIMEOUT, REFUSED, ...), null when it answered
     * @param detail    one line on the failure for operators, null when it answered
     * @param latencyMs time to the answer or to the failure
     * @param trust     the miner's trust given to the scorer in this round
     * @param reward    the reward the scorer gave, in [0, 1]
     */
    public record MinerRecord(int uid, String hotkey, String answer, String failure, String detail, long latencyMs, double trust,
                              double reward) {
    }
}
