package dev.chorus.chain;

import java.math.BigInteger;

/**
 * Runs a subnet's Yuma epoch on chain and reads what it paid. Anyone may run an epoch once
 * {@code tempo} blocks have passed since the last one; the chain computes it, stores the terms the
 * metagraph shows and credits each hotkey's emission in the emission token the subnet contract mints.
 */
public interface EpochRunner {

    /**
     * Runs the epoch of {@code netuid}. Throws {@link TransactionRejected} with error
     * {@code EpochNotDue} (its argument the first block it may run at) when it is too early.
     */
    ChainReceipt runEpoch(int netuid);

    /** The emission token balance of {@code hotkey}, in rao (1 token = 1e9 rao): every emission it was paid, less transfers. */
    BigInteger emissionBalance(String hotkey);
}
