package dev.chorus.validator.state;

import java.util.List;

/**
 * Everything the validator must not lose on a crash, written atomically after every round.
 *
 * @param schema        format version of this file
 * @param netuid        the subnet; a state file of another subnet is refused
 * @param hotkey        this validator's hotkey; a state file of another key is refused
 * @param round         rounds completed
 * @param savedAtMs     when this was written (Unix ms)
 * @param scores        the score book: one entry per uid, with the hotkey the score belongs to
 * @param lastWeights   the last weights accepted on chain, if any
 * @param pending       a weights submission persisted before it was sent and not yet settled, if any
 */
public record ValidatorState(int schema, int netuid, String hotkey, long round, long savedAtMs,
                            List<ScoreEntry> scores, WeightsRecord lastWeights, WeightsRecord pending) {

    public static final int SCHEMA = 1;

    public ValidatorState {
        scores = List.copyOf(scores);
    }

    /** A uid's moving-average score, tied to the hotkey that earned it, and its reward in the last round. */
    public record ScoreEntry(int uid, String hotkey, double score, double lastReward) {
    }

    /**
     * One weights submission. {@code kind} is {@code set} or {@code commit}; a commit keeps its salt so it can
     * be revealed after a restart. {@code status} is {@code intended} (persisted, maybe not sent), {@code sent} (sent
     * as {@code txHash}, no receipt seen), {@code committed}, {@code reveal_sent} (a commit whose reveal {@code txHash}
     * was sent, no receipt seen), {@code confirmed}, {@code revealed}, {@code rejected} or {@code lost} (on chain
     * until a reorg).
     */
    public record WeightsRecord(String id, String kind, List<Integer> uids, List<Integer> values, long versionKey,
                                List<Integer> salt, String commitHash, long block, long epoch, String txHash,
                                String status, String detail) {

        public WeightsRecord {
            uids = List.copyOf(uids);
            values = List.copyOf(values);
            salt = salt == null ? List.of() : List.copyOf(salt);
        }

        public WeightsRecord with(String newStatus, String newTxHash, long newBlock, String newDetail) {
            return new WeightsRecord(id, kind, uids, values, versionKey, salt, commitHash, newBlock, epoch, newTxHash,
                    newStatus, newDetail);
        }

        /**
         * What the admin API may show: never the salt, and for a commit not yet revealed not the weights either.
         * Commit-reveal hides them until the reveal so that no other validator can copy them, and the admin port
         * is readable by every local user.
         */
        public WeightsRecord publicView() {
            boolean secret = "commit".equals(kind) && !"revealed".equals(status);
            return new WeightsRecord(id, kind, secret ? List.of() : uids, secret ? List.of() : values, versionKey,
                    List.of(), commitHash, block, epoch, txHash, status, detail);
        }
    }
}
