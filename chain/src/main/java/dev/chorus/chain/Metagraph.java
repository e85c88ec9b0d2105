package dev.chorus.chain;

import java.util.List;
import java.util.Optional;

/** A read-only snapshot of one subnet at one block; {@code neurons.get(uid).uid() == uid}. */
public record Metagraph(int netuid, long block, List<Neuron> neurons) {

    public Metagraph {
        neurons = List.copyOf(neurons);
        for (int uid = 0; uid < neurons.size(); uid++) {
            if (neurons.get(uid).uid() != uid) {
                throw new IllegalArgumentException("neuron at index " + uid + " has uid " + neurons.get(uid).uid());
            }
        }
    }

    public int size() {
        return neurons.size();
    }

    /** The neuron at {@code uid}; a uid the subnet does not have is refused with the uids it has. */
    public Neuron neuron(int uid) {
        if (uid < 0 || uid >= neurons.size()) {
            throw new IllegalArgumentException("subnet " + netuid + " has no uid " + uid + " at block " + block + ": "
                    + (neurons.isEmpty() ? "no neuron is registered yet"
                    : "its uids are 0 to " + (neurons.size() - 1))
                    + " (`bin/chorus chain status` lists them)");
        }
        return neurons.get(uid);
    }

    public Optional<Neuron> byHotkey(String hotkey) {
        return neurons.stream().filter(n -> n.hotkey().equalsIgnoreCase(hotkey)).findFirst();
    }
}
