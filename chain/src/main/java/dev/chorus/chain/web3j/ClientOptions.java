package dev.chorus.chain.web3j;

import dev.chorus.config.ChainSettings;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How the client talks to the node.
 *
 * @param expectedChainId  the chain id the node must report at start; empty accepts whatever it reports
 * @param httpTimeout      connect/read/write timeout of one RPC request
 * @param receiptTimeout   how long to wait for a sent transaction to be mined
 * @param receiptPoll      interval between receipt queries
 * @param rpcAttempts      attempts for one RPC request when the node is unreachable or overloaded (never for reverts)
 * @param retryBackoff     wait before the first retry; doubled for each further one
 * @param maxPriorityFee   tip per gas in wei; empty asks the node (eth_maxPriorityFeePerGas)
 * @param gasMarginPercent extra gas over the node's estimate, in percent
 * @param maxFeePerGas     ceiling on the fee per gas this key signs, in wei; empty for none. The fees come from the
 *                         node, so this bounds what a faulty or hostile node can make the key pay
 */
public record ClientOptions(
        OptionalLong expectedChainId,
        Duration httpTimeout,
        Duration receiptTimeout,
        Duration receiptPoll,
        int rpcAttempts,
        Duration retryBackoff,
        Optional<BigInteger> maxPriorityFee,
        int gasMarginPercent,
        Optional<BigInteger> maxFeePerGas) {

    /** The operator's default ceiling, for the local chain's clients. */
    private static final Optional<BigInteger> DEFAULT_FEE_CEILING =
            Optional.of(BigInteger.valueOf(ChainSettings.defaults().maxFeePerGasWei()));

    public ClientOptions {
        if (maxFeePerGas == null) {
            maxFeePerGas = Optional.empty();
        }
        if (rpcAttempts < 1) {
            throw new IllegalArgumentException("rpcAttempts must be at least 1, got " + rpcAttempts);
        }
        if (gasMarginPercent < 0 || gasMarginPercent > 400) {
            throw new IllegalArgumentException("gasMarginPercent must be between 0 and 400, got " + gasMarginPercent);
        }
        for (Duration d : new Duration[] {httpTimeout, receiptTimeout, receiptPoll}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts and intervals must be positive, got " + d);
            }
        }
    }

    /** The defaults of the operator's chain settings, accepting any chain id. */
    public static ClientOptions defaults() {
        return of(ChainSettings.defaults());
    }

    /** The client side of the operator's chain settings (chain id 0 accepts any chain). */
    public static ClientOptions of(ChainSettings settings) {
        OptionalLong chainId = settings.chainId() == 0 ? OptionalLong.empty() : OptionalLong.of(settings.chainId());
        Optional<BigInteger> tip = settings.maxPriorityFeeWei() == 0
                ? Optional.empty() : Optional.of(BigInteger.valueOf(settings.maxPriorityFeeWei()));
        Optional<BigInteger> ceiling = settings.maxFeePerGasWei() == 0
                ? Optional.empty() : Optional.of(BigInteger.valueOf(settings.maxFeePerGasWei()));
        return new ClientOptions(chainId, settings.rpcTimeout(), settings.receiptTimeout(), settings.receiptPoll(),
                settings.maxRetries() + 1, settings.retryBackoff(), tip, settings.gasMarginPercent(), ceiling);
    }

    /**
     * The longest one transaction can take while the node behaves as these options allow: each send (one that ran
     * out of gas is sent again) makes its requests, each through every attempt and backoff, then waits out
     * {@code receiptTimeout}. Longer means a stuck call, not a slow chain.
     */
    public Duration longestTransaction() {
        Duration backoff = retryBackoff.compareTo(httpTimeout) > 0 ? retryBackoff : httpTimeout;
        Duration request = httpTimeout.plus(backoff).multipliedBy(rpcAttempts);
        return receiptTimeout.plus(request.multipliedBy(TransactionSender.REQUESTS_PER_SEND))
                .multipliedBy(TransactionSender.OUT_OF_GAS_SENDS);
    }

    /** Defaults for a local Anvil: its chain id is required and receipts are polled fast (it mines on arrival). */
    public static ClientOptions localChain(long chainId) {
        return new ClientOptions(OptionalLong.of(chainId), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(5),
                4, Duration.ofMillis(100), Optional.empty(), 25, DEFAULT_FEE_CEILING);
    }
}
