package dev.chorus.validator.organic;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

/**
 * Chooses the miners an organic question goes to: the best-scored serving miners (no validators, not this
 * validator), with an exploration share drawn at random from the rest so that a new miner, which has no score
 * yet, still gets asked now and then and can earn one.
 */
final class MinerChoice {

    /** A miner to ask and whether it was drawn for exploration. */
    record Pick(Neuron neuron, boolean explored) {
    }

    private final double explorationShare;
    private final Random random;

    MinerChoice(double explorationShare, Random random) {
        this.explorationShare = explorationShare;
        this.random = random;
    }

    /**
     * @param score this validator's current score of a uid
     * @param k     how many miners to ask
     * @return at most {@code k} miners, best score first, explored ones last
     */
    List<Pick> choose(Metagraph metagraph, String ownHotkey, IntToDoubleFunction score, int k) {
        List<Neuron> candidates = new ArrayList<>();
        for (Neuron neuron : metagraph.neurons()) {
            if (neuron.isMinerFor(ownHotkey)) {
                candidates.add(neuron);
            }
        }
        // Shuffled first so that miners with equal scores (all 0 on a fresh validator) are not always the low uids.
        Collections.shuffle(candidates, random);
        // Each score read once: rounds recording on other threads move the book, and a sort whose keys change under
        // it may throw.
        Map<Integer, Double> scores = new HashMap<>();
        candidates.forEach(n -> scores.put(n.uid(), score.applyAsDouble(n.uid())));
        candidates.sort(Comparator.comparingDouble((Neuron n) -> scores.get(n.uid())).reversed());
        if (candidates.size() <= k) {
            return candidates.stream().map(n -> new Pick(n, false)).toList();
        }
        int explore = explorationSlots(k);
        List<Pick> picks = new ArrayList<>(k);
        for (int i = 0; i < k - explore; i++) {
            picks.add(new Pick(candidates.get(i), false));
        }
        List<Neuron> rest = new ArrayList<>(candidates.subList(k - explore, candidates.size()));
        Collections.shuffle(rest, random);
        for (int i = 0; i < explore; i++) {
            picks.add(new Pick(rest.get(i), true));
        }
        return picks;
    }

    /** {@code k * share} slots, the fraction rounded up with that probability so small k still explore on average. */
    int explorationSlots(int k) {
        double expected = k * explorationShare;
        int slots = (int) Math.floor(expected);
        if (random.nextDouble() < expected - slots) {
            slots++;
        }
        return Math.min(slots, k);
    }
}
