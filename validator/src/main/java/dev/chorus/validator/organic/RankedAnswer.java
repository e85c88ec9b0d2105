package dev.chorus.validator.organic;

import java.util.List;

/**
 * One miner's reply to an organic question, as reported to the consumer.
 *
 * @param uid        the miner
 * @param hotkey     the miner's hotkey
 * @param answer     its answer, null when it failed
 * @param failure    the failure kind (TIMEOUT, REFUSED, ...), null when it answered
 * @param similarity its calibrated similarity to the consensus in [0, 1] (0 without a usable answer)
 * @param reward     the reward the scorer gave it, in [0, 1]
 * @param latencyMs  time to its answer or failure
 * @param penalties  why the scorer cut its reward (DUPLICATE, EMPTY, ...), empty when it did not
 * @param explored   asked as exploration rather than for its score
 */
record RankedAnswer(int uid, String hotkey, String answer, String failure, double similarity, double reward,
                           long latencyMs, List<String> penalties, boolean explored) {

    public RankedAnswer {
        penalties = List.copyOf(penalties);
    }
}
