package dev.chorus.validator.organic;

import dev.chorus.chain.AxonInfo;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Small metagraphs for the organic unit tests. */
final class Fixtures {

    private Fixtures() {
    }

    static Neuron neuron(int uid, boolean serving, boolean validator) {
        AxonInfo axon = serving ? new AxonInfo(1, 1, AxonInfo.encodeIp("127.0.0.1"), 9000 + uid, 4, 0) : AxonInfo.NONE;
        return new Neuron(uid, String.format("0x%040x", uid + 1), String.format("0x%040x", uid + 1001),
                BigInteger.ZERO, axon, validator, true, 0, 0, 0, 0, 0, 0, BigInteger.ZERO);
    }

    /** {@code miners} serving miners after one validator at uid 0. */
    static Metagraph metagraph(int miners) {
        List<Neuron> neurons = new ArrayList<>();
        neurons.add(neuron(0, true, true));
        for (int uid = 1; uid <= miners; uid++) {
            neurons.add(neuron(uid, true, false));
        }
        return new Metagraph(1, 100, neurons);
    }
}
