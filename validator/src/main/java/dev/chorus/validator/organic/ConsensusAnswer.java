package dev.chorus.validator.organic;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The response of {@code POST /v1/ask}: the answer nearest the network's consensus and how strongly the network
 * agrees.
 *
 * @param id        the organic round's id (also in the round log)
 * @param answer    the chosen miner's answer, verbatim (never a blend)
 * @param uid       the miner that gave it
 * @param hotkey    that miner's hotkey
 * @param agreement how tightly the distinct answers cluster around the consensus, in [0, 1]
 * @param asked     miners asked
 * @param answered  miners that answered in time
 * @param latencyMs time from receiving the question to choosing the answer
 * @param others    every other miner's reply, best first; null, and then absent from the response, unless
 *                  {@code organic.return_others} is on, since the replies and their rewards tell a key holder who
 *                  also mines what the scorer pays
 */
record ConsensusAnswer(String id, String answer, int uid, String hotkey, double agreement, int asked,
                             int answered, long latencyMs,
                             @JsonInclude(JsonInclude.Include.NON_NULL) List<RankedAnswer> others) {

    public ConsensusAnswer {
        others = others == null ? null : List.copyOf(others);
    }
}
