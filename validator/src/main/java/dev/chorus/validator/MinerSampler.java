package dev.chorus.validator;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Picks the miners a round queries: neurons serving an axon, without a validator permit, not this
 * validator itself, at most {@code sampleSize} of them drawn uniformly, and optionally at most one per IP
 * (so one host cannot crowd a round with many uids).
 */
final class MinerSampler {

    private final int sampleSize;
    private final boolean onePerIp;
    private final Random random;

    MinerSampler(int sampleSize, boolean onePerIp, Random random) {
        this.sampleSize = sampleSize;
        this.onePerIp = onePerIp;
        this.random = random;
    }

    List<Neuron> sample(Metagraph metagraph, String ownHotkey) {
        List<Neuron> candidates = new ArrayList<>();
        for (Neuron neuron : metagraph.neurons()) {
            if (neuron.isMinerFor(ownHotkey)) {
                candidates.add(neuron);
            }
        }
        java.util.Collections.shuffle(candidates, random);
        List<Neuron> chosen = new ArrayList<>();
        Set<String> hosts = new HashSet<>();
        for (Neuron neuron : candidates) {
            if (chosen.size() == sampleSize) {
                break;
            }
            if (!onePerIp || hosts.add(neuron.axon().host())) {
                chosen.add(neuron);
            }
        }
        chosen.sort(java.util.Comparator.comparingInt(Neuron::uid));
        return chosen;
    }
}
