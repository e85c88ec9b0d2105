package dev.chorus.chain;

/**
 * A transaction was sent but not mined before the deadline. It may still be mined: check
 * {@link #txHash()} before sending the same thing again. The next transaction of the same client
 * takes its nonce with higher fees while it is unmined, so at most one of the two lands.
 */
public final class ReceiptTimeout extends ChainException {

    private final String action;
    private final String txHash;

    public ReceiptTimeout(String action, String txHash, java.time.Duration waited) {
        super(action + ": transaction " + txHash + " was not mined within " + waited
                + "; it may still be mined later, check it before resending (the next transaction from this client"
                + " replaces it while it is unmined)");
        this.action = action;
        this.txHash = txHash;
    }

    /** What was sent, e.g. "addStake 1000 rao on 0x…". */
    public String action() {
        return action;
    }

    public String txHash() {
        return txHash;
    }
}
