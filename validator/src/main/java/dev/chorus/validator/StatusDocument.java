package dev.chorus.validator;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.validator.admin.Readiness;
import dev.chorus.validator.state.ValidatorState.WeightsRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;

/**
 * The document behind {@code /api/status} and the dashboard, from what the service holds at one moment. The dashboard's
 * script, the README and operators' scripts read its keys, so {@link #toMap()} keeps their names and order.
 *
 * @param chain     the {@code chain} part, as {@link MetagraphSync#status()} gives it
 * @param metagraph the last metagraph synced; null before the first sync, when there are no miners to show
 * @param history   the score history's points, oldest first
 * @param organic   the organic listener's status; null when organic queries are off, which leaves its key out
 */
record StatusDocument(Validator validator, Readiness readiness, Map<String, Object> chain, Rounds rounds,
                      Weights weights, Metagraph metagraph, Tallies tallies, List<Map<String, Object>> history,
                      Map<String, Object> organic) {

    /** Who this validator is and how it works; {@code uid} is empty while its hotkey is not registered. */
    record Validator(String hotkey, OptionalInt uid, int netuid, String mode) {
    }

    /**
     * @param count      rounds run over the state folder's life
     * @param sinceStart each way a scheduled round ended, counted since this process started
     */
    record Rounds(long count, boolean inFlight, Map<String, Long> sinceStart) {
    }

    /** The weight setter's last and pending weights and its last rejection, each null when there is none. */
    record Weights(WeightsRecord last, WeightsRecord pending, Map<String, Object> lastRejection) {
    }

    /** What the rounds found of each uid: the score book's score, the last reward (none if never rewarded), failures. */
    record Tallies(IntToDoubleFunction score, Map<Integer, Double> lastReward, Map<Integer, Integer> failures) {
    }

    Map<String, Object> toMap() {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> self = new LinkedHashMap<>();
        self.put("hotkey", validator.hotkey());
        self.put("uid", validator.uid().isPresent() ? validator.uid().getAsInt() : null);
        self.put("netuid", validator.netuid());
        self.put("mode", validator.mode());
        doc.put("validator", self);
        doc.put("ready", readiness.ready());
        doc.put("not_ready_reason", readiness.reason());
        doc.put("chain", chain);
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("count", rounds.count());
        counts.put("in_flight", rounds.inFlight());
        counts.put("since_start", rounds.sinceStart());
        doc.put("rounds", counts);
        doc.put("last_weights", weights.last() == null ? null : weights.last().publicView());
        doc.put("pending_weights", weights.pending() == null ? null : weights.pending().publicView());
        doc.put("last_rejection", weights.lastRejection());
        doc.put("miners", miners());
        // A copy: the caller may read the document on another thread while the next round shifts the history.
        doc.put("history", List.copyOf(history));
        if (organic != null) {
            doc.put("organic", organic);
        }
        return doc;
    }

    /**
     * Every uid of the metagraph but this validator's own while it holds a permit; without one (an observer) its uid
     * is listed with the miners, as the chain counts it among them. Other validators are listed, marked by their
     * permit, since their dividends are the rest of the subnet's emission; no validator queries them.
     */
    private List<Map<String, Object>> miners() {
        List<Map<String, Object>> miners = new ArrayList<>();
        if (metagraph == null) {
            return miners;
        }
        Map<Integer, Double> shares = sharesOnChain();
        for (Neuron n : metagraph.neurons()) {
            if (n.validatorPermit() && n.hotkey().equalsIgnoreCase(validator.hotkey())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("uid", n.uid());
            m.put("hotkey", n.hotkey());
            m.put("axon", n.axon().endpoint());
            m.put("validator_permit", n.validatorPermit());
            m.put("score", tallies.score().applyAsDouble(n.uid()));
            m.put("last_reward", tallies.lastReward().get(n.uid()));
            m.put("weight", shares.getOrDefault(n.uid(), 0.0));
            m.put("incentive", n.incentive() / 65535.0);
            m.put("emission", n.emission());
            m.put("failures", tallies.failures().getOrDefault(n.uid(), 0));
            miners.add(m);
        }
        return miners;
    }

    /** Each uid's share of the last weights set; none when they were lost, since the chain no longer holds them. */
    private Map<Integer, Double> sharesOnChain() {
        WeightsRecord last = weights.last();
        Map<Integer, Integer> onChain = new TreeMap<>();
        if (last != null && !WeightSetter.LOST.equals(last.status())) {
            for (int i = 0; i < last.uids().size(); i++) {
                onChain.put(last.uids().get(i), last.values().get(i));
            }
        }
        int total = onChain.values().stream().mapToInt(Integer::intValue).sum();
        Map<Integer, Double> shares = new TreeMap<>();
        if (total != 0) {
            onChain.forEach((uid, value) -> shares.put(uid, value / (double) total));
        }
        return shares;
    }
}
