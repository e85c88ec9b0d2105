package dev.chorus.chain;

/** What a subnet owner does: create the subnet, tune it, refresh validator permits between epochs. */
public interface SubnetAdmin {

    /** Creates a subnet owned by the signer, who pays the chain's network lock cost; returns its netuid. */
    int createSubnet(Hyperparameters hyperparameters);

    ChainReceipt setHyperparameters(int netuid, Hyperparameters hyperparameters);

    /**
     * Grants validator permits to current stake by the epoch's rule, taking none away. Subtensor sets permits only in
     * the epoch (and each epoch here stores its own, revoking too); calling this lets new stake count before the next
     * one, without letting stake added for a moment push a validator out.
     */
    ChainReceipt updateValidatorPermits(int netuid);
}
