package dev.chorus.validator.state;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.miner.client.MinerAnswer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One line of the round log: enough to score the round again exactly, and to weigh its scores as the validator did
 * (the researchers' replay reads it).
 *
 * @param round       a synthetic round's number, the validator's round counter (kept across restarts, and taken up
 *                    from the round log when the state file is lost, so that it does not repeat); an organic
 *                    round's number among the organic rounds since the process started, so it starts again at 1 and
 *                    may equal a synthetic round's ({@code organic} tells them apart)
 * @param timestampMs when the round started (Unix ms)
 * @param block       chain head when the round started
 * @param queryId     id of the query in the query set
 * @param prompt      the question sent (empty for organic rounds whose prompt may not be stored)
 * @param reference   the query's reference answer, if it has one
 * @param organic     asked by a user rather than drawn from the query set
 * @param miners      one entry per miner queried
 * @param metagraph   which uids the validator would weigh, from the metagraph the round was asked from; null in logs
 *                    written before it was recorded, where it is unknown
 */
public record RoundRecord(long round, long timestampMs, long block, String queryId, String prompt, String reference,
                          boolean organic, List<MinerRecord> miners, MetagraphView metagraph) {

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

        /**
         * How synthetic and organic rounds alike log what {@code asked} did: its answer, or its failure's kind by the
         * name the researchers' replay reads back.
         */
        public static MinerRecord of(Neuron asked, MinerAnswer answer, double trust, double reward) {
            return switch (answer) {
                case MinerAnswer.Ok ok -> new MinerRecord(asked.uid(), asked.hotkey(), ok.answer(), null, null,
                        ok.latency().toMillis(), trust, reward);
                case MinerAnswer.Failed failed -> new MinerRecord(asked.uid(), asked.hotkey(), null,
                        failed.failure().name(), failed.detail(), failed.latency().toMillis(), trust, reward);
            };
        }
    }

    /**
     * What the validator's weights depend on in a metagraph, kept short: a subnet's uids are mostly miners, so the
     * log names the others. The validator weighs a uid exactly when it is below {@code size} and not in
     * {@code notMiners}; it weighs every other uid 0, whatever its score (a uid that withdrew its axon or gained a
     * validator permit must not keep its weight).
     *
     * @param size      the number of uids in the metagraph
     * @param notMiners the uids that are not miners for this validator ({@link dev.chorus.chain.Neuron#isMinerFor}):
     *                  those that serve no axon, hold a validator permit, or are its own; ascending
     */
    public record MetagraphView(int size, List<Integer> notMiners) {

        /** uids are uint16. */
        private static final int MAX_UIDS = 65_536;

        public MetagraphView {
            notMiners = List.copyOf(notMiners);
            if (size < 0 || size > MAX_UIDS) {
                throw new IllegalArgumentException("a metagraph of " + size + " uids; a subnet has 0 to " + MAX_UIDS);
            }
            for (int k = 0; k < notMiners.size(); k++) {
                int uid = notMiners.get(k);
                if (uid < 0 || uid >= size || (k > 0 && uid <= notMiners.get(k - 1))) {
                    throw new IllegalArgumentException("notMiners " + notMiners + " must be distinct uids of the metagraph"
                            + " (0 to " + (size - 1) + "), ascending");
                }
            }
        }

        public static MetagraphView of(Metagraph metagraph, String ownHotkey) {
            List<Integer> notMiners = new ArrayList<>();
            for (int uid = 0; uid < metagraph.size(); uid++) {
                if (!metagraph.neuron(uid).isMinerFor(ownHotkey)) {
                    notMiners.add(uid);
                }
            }
            return new MetagraphView(metagraph.size(), notMiners);
        }

        /** Whether the validator weighs {@code uid} by its score. */
        public boolean weighs(int uid) {
            return uid >= 0 && uid < size && Collections.binarySearch(notMiners, uid) < 0;
        }
    }
}
