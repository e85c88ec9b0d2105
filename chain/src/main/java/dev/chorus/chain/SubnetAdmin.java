package dev.chorus.chain;

/** What a subnet owner does: create the subnet, tune it, refresh validator permits between epochs. */
public interface SubnetAdmin {

    /** Creates a subnet owned by the signer; returns its netuid. */
    int createSubnet(Hyperparameters hyperparameters);

    ChainReceipt setHyperparameters(int netuid, Hyperparameters hyperparameters);

    /** Recomputes validator permits from current stake (the epoch does this too). */
    ChainReceipt updateValidatorPermits(int netuid);
}
