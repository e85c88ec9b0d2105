package dev.chorus.chain;

/**
 * A connection to a subnet contract, signing as one key. Thread-safe; writes from one instance are
 * sent one at a time, each with the nonce the node reports for the key, so transactions sent from the same key
 * elsewhere do not stall it. Closing it closes its HTTP connection.
 */
public interface SubnetChain extends SubnetReader, SubnetWriter, NeuronRegistrar, SubnetAdmin, EpochRunner, AutoCloseable {

    /** The signer's address (0x-prefixed, lower case): the hotkey for weights and serving. */
    String signer();

    /** The signer's uid on the subnet, if registered. */
    java.util.OptionalInt uidOf(int netuid, String hotkey);

    /**
     * Where a transaction stands on the node: mined (it has a receipt), waiting in the node's pool, or unknown to the
     * node (never taken, or dropped from the pool). A caller whose receipt wait timed out asks this before sending the
     * same thing again: while the first is pooled, both could land.
     */
    TransactionFate transactionFate(String txHash);

    /** What {@link #transactionFate} found. */
    enum TransactionFate { MINED, POOLED, UNKNOWN }

    @Override
    void close();
}
