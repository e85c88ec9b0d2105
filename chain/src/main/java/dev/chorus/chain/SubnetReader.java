package dev.chorus.chain;

/** Reads a subnet's state. Every method is one round trip to the node (the Bittensor flavour needs more). */
public interface SubnetReader {

    /** Every uid of the subnet as of the latest block. */
    Metagraph metagraph(int netuid);

    /** The weights {@code uid} has stored on chain. */
    WeightRow weights(int netuid, int uid);

    Hyperparameters hyperparameters(int netuid);

    /** Owner, size, creation and last-epoch blocks, the epoch index and the owner's uid. */
    SubnetInfo subnetInfo(int netuid);

    long blockNumber();

    /** The hotkey's weight commits not yet revealed, oldest first. */
    java.util.List<PendingCommit> pendingCommits(int netuid, String hotkey);
}
