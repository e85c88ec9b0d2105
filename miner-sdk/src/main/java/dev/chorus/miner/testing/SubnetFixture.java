package dev.chorus.miner.testing;

import dev.chorus.chain.AxonInfo;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.miner.protocol.Hotkey;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A small subnet built in memory: add neurons in uid order, then take the metagraph. A {@code MinerServer} reads it
 * with {@code .metagraph(subnet::metagraph)}. Not thread-safe: add every neuron before a server starts reading.
 */
public final class SubnetFixture {

    public static final int NETUID = 7;

    private final List<Neuron> neurons = new ArrayList<>();

    public Neuron validator(Hotkey hotkey, long stake) {
        return add(hotkey, BigInteger.valueOf(stake), true, AxonInfo.NONE);
    }

    public Neuron neuron(Hotkey hotkey, long stake, boolean permit) {
        return add(hotkey, BigInteger.valueOf(stake), permit, AxonInfo.NONE);
    }

    public Neuron miner(Hotkey hotkey, int port) {
        return add(hotkey, BigInteger.ZERO, false, axon(port));
    }

    public Metagraph metagraph() {
        return new Metagraph(NETUID, 100, neurons);
    }

    public static AxonInfo axon(int port) {
        return new AxonInfo(1, 1, AxonInfo.encodeIp("127.0.0.1"), port, 4, 0);
    }

    /** The same neuron serving on another port (the port is known only once the server started). */
    public static Neuron servingOn(Neuron neuron, int port) {
        return new Neuron(neuron.uid(), neuron.hotkey(), neuron.coldkey(), neuron.stake(), axon(port),
                neuron.validatorPermit(), neuron.active(), neuron.lastUpdate(), neuron.registeredAt(),
                neuron.consensus(), neuron.incentive(), neuron.dividends(), neuron.validatorTrust(), neuron.emission());
    }

    private Neuron add(Hotkey hotkey, BigInteger stake, boolean permit, AxonInfo axon) {
        Neuron neuron = new Neuron(neurons.size(), hotkey.address(), hotkey.address(), stake, axon, permit, true,
                0, 0, 0, 0, 0, 0, BigInteger.ZERO);
        neurons.add(neuron);
        return neuron;
    }
}
