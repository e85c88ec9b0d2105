package dev.chorus.chain;

import java.util.List;
import java.util.Optional;

/**
 * The chain refused a call: it reverted with {@code errorName} (a contract error such as
 * {@code HotKeyAlreadyRegisteredInSubNet}, or {@code Error}/{@code Panic} for plain reverts).
 * {@code txHash} is present when the transaction was mined and reverted, empty when the revert
 * was found before sending (gas estimation) and nothing was spent.
 */
public class TransactionRejected extends ChainException {

    private final String action;
    private final String errorName;
    private final List<Object> arguments;
    private final String txHash;

    public TransactionRejected(String action, String errorName, List<Object> arguments, String txHash) {
        super(action + " was rejected by the chain: " + errorName + (arguments.isEmpty() ? "" : arguments)
                + (txHash == null ? "" : " (tx " + txHash + ")"));
        this.action = action;
        this.errorName = errorName;
        this.arguments = List.copyOf(arguments);
        this.txHash = txHash;
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
