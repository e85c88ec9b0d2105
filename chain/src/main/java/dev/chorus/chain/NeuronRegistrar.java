package dev.chorus.chain;

import java.math.BigInteger;

/** What a neuron's keys do to take part in a subnet: register, announce the axon, stake. */
public interface NeuronRegistrar {

    /** Burn-registers the signer as its own hotkey (and coldkey); returns its uid. */
    int register(int netuid);

    /** Announces where the signer's axon serves (an IPv4 or IPv6 literal and a port). */
    ChainReceipt serveAxon(int netuid, String host, int port);

    /** Stakes {@code rao} of the signer's funds on {@code hotkey}. */
    ChainReceipt addStake(int netuid, String hotkey, BigInteger rao);

    /** Withdraws {@code rao} of the signer's own stake from {@code hotkey}. */
    ChainReceipt removeStake(int netuid, String hotkey, BigInteger rao);
}
