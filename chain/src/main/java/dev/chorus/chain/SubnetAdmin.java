package dev.chorus.chain;

/** What a subnet owner does: create the subnet, tune it, refresh validator permits between epochs. */
public interface SubnetAdmin {

    /** Creates a subnet owned by the signer; returns its netuid. */
    int createSubnet(Hyperparameters hyperparameters);

    ChainReceipt setHyperparameters(int netuid, Hyperparameters hyperparameters);

    /**
     * Recomputes validator permits from current stake by the epoch's rule. Subtensor does so only in the epoch (and
     * each epoch here stores its own); calling this lets new stake count before the next one.
     */
    ChainReceipt updateValidatorPermits(int netuid);
}
