package dev.chorus.chain;

import java.util.List;

/**
 * Writes a validator's weights, signed by its hotkey. A refusal throws {@link WeightsRejected} with
 * the chain's reason; nothing is retried after the chain has said no.
 */
public interface SubnetWriter {

    ChainReceipt setWeights(int netuid, WeightVector weights, long versionKey);

    ChainReceipt commitWeights(int netuid, byte[] commitHash);

    ChainReceipt revealWeights(int netuid, WeightVector weights, List<Integer> salt, long versionKey);

    /** The hash to commit for a later {@link #revealWeights} with the same arguments, computed as this chain does. */
    byte[] commitHash(int netuid, WeightVector weights, List<Integer> salt, long versionKey);
}
