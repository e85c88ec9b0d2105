package dev.chorus.chain;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The chain refused a call: it reverted with {@code errorName} (a contract error such as
 * {@code HotKeyAlreadyRegisteredInSubNet}, or {@code Error}/{@code Panic} for plain reverts).
 * {@code txHash} is present when the transaction was mined and reverted, empty when the revert
 * was found before sending (gas estimation) and nothing was spent. A node that refuses the transaction itself (too
 * little funds, a fee too low) gives {@code NodeRefused}; see {@link #refusedByNode}.
 */
public class TransactionRejected extends ChainException {

    /** The error name of a transaction the node itself refused (see {@link #refusedByNode}). */
    public static final String NODE_REFUSED = "NodeRefused";

    private final String action;
    private final String errorName;
    private final List<Object> arguments;
    private final String txHash;

    public TransactionRejected(String action, String errorName, List<Object> arguments, String txHash) {
        this(action + " was rejected by the chain: " + errorName + (arguments.isEmpty() ? "" : arguments)
                + (txHash == null ? "" : " (tx " + txHash + ")"), action, errorName, arguments, txHash);
    }

    /** A rejection whose message is {@code message}, as a subclass that narrows another rejection keeps its words. */
    protected TransactionRejected(String message, String action, String errorName, List<Object> arguments, String txHash) {
        super(message);
        this.action = action;
        this.errorName = errorName;
        this.arguments = List.copyOf(arguments);
        this.txHash = txHash;
    }

    /**
     * The node refused the transaction before it reached the chain, so nothing was spent: error {@code NodeRefused}
     * with the node's {@code "code: message"} as its one argument, as callers match it. The message is the node's own
     * words, not a record's text, and names the signer when it is short of funds: that is the usual cause (a new
     * key), and the one the node's wording leaves the user to work out.
     */
    public static TransactionRejected refusedByNode(String action, String signer, int code, String nodeMessage) {
        String reason = nodeMessage.toLowerCase(Locale.ROOT).contains("insufficient funds")
                ? "the signer " + signer + " cannot pay for the gas and value (" + nodeMessage + "); send funds to "
                        + signer + " or sign with a funded key (on a local chain, `chorus chain up` prints funded dev keys)"
                : nodeMessage + " (JSON-RPC error " + code + ")";
        return new TransactionRejected(action + " was refused by the node, nothing was spent: " + reason, action,
                NODE_REFUSED, List.of(code + ": " + nodeMessage), null);
    }

    /** What was attempted, e.g. "setWeights on netuid 1". */
    public String action() {
        return action;
    }

    public String errorName() {
        return errorName;
    }

    public List<Object> arguments() {
        return arguments;
    }

    public Optional<String> txHash() {
        return Optional.ofNullable(txHash);
    }
}
