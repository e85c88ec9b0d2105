package dev.chorus.chain.web3j;

import dev.chorus.chain.ChainException;
import dev.chorus.chain.FeeAboveCeiling;
import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.ReceiptTimeout;
import dev.chorus.chain.TransactionRejected;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.admin.Admin;
import org.web3j.protocol.admin.methods.response.TxPoolContent;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends one signer's transactions the careful way: the nonce read from the node before every
 * transaction, EIP-1559 fees from the next block's base fee, gas from an estimate (which also surfaces reverts
 * before anything is spent), receipts awaited with a deadline, reverts decoded; a transaction left unmined is
 * replaced by the next one, and one that ran out of gas as the state moved is sent again. Requests go through
 * {@link RetryingRpc}, so a revert is never retried.
 */
final class TransactionSender {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionSender.class);
    private static final int REVERT_CODE = 3;
    static final int OUT_OF_GAS_SENDS = 3;
    /**
     * The most RPC requests one send makes besides its receipt polls: the gas estimate, the tip, the base fee (pending
     * block, then latest); for each of the two signings (the second after the node says the nonce was used) the nonce
     * (mined, then pending), the pool lookup, the send and the known-hash check of its refusal; the known-hash check of
     * a transaction left unmined, made before one of the two; the last receipt poll and the revert replay.
     */
    static final int REQUESTS_PER_SEND = 1 + 1 + 2 + 2 * (2 + 1 + 1 + 1) + 1 + 1 + 1;

    private final Admin web3j;
    private final Credentials credentials;
    private final long chainId;
    private final ClientOptions options;
    private final RevertDecoder revertDecoder;
    private final RetryingRpc rpc;
    /** The last transaction whose receipt wait timed out, while the node may still hold it; guarded by this. */
    private Unmined unmined;

    TransactionSender(Admin web3j, Credentials credentials, long chainId, ClientOptions options, RevertDecoder revertDecoder) {
        this.web3j = web3j;
        this.rpc = new RetryingRpc(options);
        this.credentials = credentials;
        this.chainId = chainId;
        this.options = options;
        this.revertDecoder = revertDecoder;
    }

    String from() {
        return credentials.getAddress();
    }

    /**
     * Sends a transaction ({@code to == null} deploys) and waits for its successful receipt.
     *
     * <p>A transaction that ran out of gas is sent again (at most {@value #OUT_OF_GAS_SENDS} sends in all) with the
     * larger of a fresh estimate and the spent limit raised by the margin: the state moved between estimate and
     * inclusion, as when registrations estimated against the same subnet size land one after another and the later
     * ones open new storage slots, and it may move again before the next estimate lands. Out of gas changes nothing
     * but the nonce, so sending again cannot apply the action twice.
     */
    synchronized TransactionReceipt send(String action, String to, String data, BigInteger value) {
        BigInteger gasLimit = estimateGas(action, to, data, value);
        TransactionReceipt receipt = sendOnce(action, to, data, value, gasLimit);
        for (int sends = 1; ranOutOfGas(receipt, gasLimit); sends++) {
            if (sends == OUT_OF_GAS_SENDS) {
                throw new TransactionRejected(action, "OutOfGas", List.of("gas limit " + gasLimit + " on send " + sends
                        + "; raise chain.gas_margin_percent"), receipt.getTransactionHash());
            }
            BigInteger raised = estimateGas(action, to, data, value).max(withMargin(gasLimit));
            LOG.info("{}: ran out of gas at {} in block {} as the state moved since the estimate; sending again with {}",
                    action, gasLimit, receipt.getBlockNumber(), raised);
            gasLimit = raised;
            receipt = sendOnce(action, to, data, value, gasLimit);
        }
        if (!receipt.isStatusOK()) {
            throw replayRevert(action, to, data, value, receipt);
        }
        return receipt;
    }

    /**
     * Out of gas in the transaction itself spends the whole limit; out of gas in a call it makes (the epoch runs in one)
     * spends all but the 1/64 that EIP-150 keeps back for the caller, which then reverts.
     */
    private static boolean ranOutOfGas(TransactionReceipt receipt, BigInteger gasLimit) {
        return !receipt.isStatusOK()
                && receipt.getGasUsed().shiftLeft(6).compareTo(gasLimit.multiply(BigInteger.valueOf(63))) >= 0;
    }

    private TransactionReceipt sendOnce(String action, String to, String data, BigInteger value, BigInteger gasLimit) {
        BigInteger tip = options.maxPriorityFee().orElseGet(this::suggestedTip);
        BigInteger baseFee = nextBaseFee();
        BigInteger maxFee = baseFee.shiftLeft(1).add(tip);
        String txHash = null;
        Unmined sent = null;
        // The node's count, never a local one: a transaction sent elsewhere from this key moves it up, and a
        // reorg that drops one of ours moves it down; a nonce ahead of the node would queue every later send.
        // One re-sign is safe when the node says the nonce was used: that transaction was never accepted.
        for (int attempt = 1; txHash == null; attempt++) {
            Terms terms = withinCeiling(action, nextTerms(action, tip, maxFee, baseFee), baseFee);
            RawTransaction raw = RawTransaction.createTransaction(chainId, terms.nonce(), gasLimit, to == null ? "" : to,
                    value, data, terms.tip(), terms.maxFee());
            String signed = Numeric.toHexString(TransactionEncoder.signMessage(raw, credentials));
            String hash = Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(signed)));
            EthSendTransaction reply;
            boolean accepted;
            try {
                reply = rpcAllowingError("eth_sendRawTransaction", web3j.ethSendRawTransaction(signed));
                // A retry whose first attempt's reply was lost meets its own transaction: in the pool ("already known"
                // in geth, "transaction already imported" in Anvil, other words elsewhere) or mined ("nonce too low").
                // The node's own record decides, not the wording.
                accepted = !reply.hasError() || isKnown(hash);
            } catch (RuntimeException unknownFate) {
                // The node may have taken it, before every reply was lost or while its record could not be read: the
                // next send takes over its nonce if the node has it, so at most one of the two lands.
                unmined = new Unmined(action, hash, terms);
                throw unknownFate;
            }
            String refusal = reply.hasError() ? reply.getError().getMessage().toLowerCase(Locale.ROOT) : "";
            if (accepted) {
                txHash = hash;
                sent = new Unmined(action, hash, terms);
            } else {
                if (!refusal.contains("nonce too low") || attempt > 1) {
                    throw rejectionFromError(action, reply.getError());
                }
                LOG.debug("{}: nonce {} was used elsewhere meanwhile, re-reading it and signing again", action, terms.nonce());
            }
        }
        try {
            TransactionReceipt receipt = awaitReceipt(action, txHash);
            unmined = null;
            return receipt;
        } catch (RuntimeException unknownFate) {
            // Whatever stopped the wait, the transaction may still be in the pool: the next send replaces it.
            unmined = sent;
            throw unknownFate;
        }
    }

    /**
     * The nonce and fees of the next transaction. After a receipt timeout the earlier transaction may sit in the
     * pool for good (its fee cap below a risen base fee); a new one with the next nonce would queue behind it, and
     * both could land later. So while the node has not mined that nonce, the next transaction takes it over with
     * fees raised by an eighth (nodes want at least a tenth more to replace), and at most one of the two lands.
     * One the node no longer has (evicted from its pool, lost in a restart, or never taken) cannot land: its nonce is
     * free, and the next transaction is signed afresh there, with no raise that a fee ceiling could refuse.
     * A transaction this process did not send (an earlier run's, left in the pool when it stopped) is taken over
     * the same way, but only when it cannot be mined at the current base fee: one that can may be another
     * client's of this key, about to land.
     */
    private Terms nextTerms(String action, BigInteger tip, BigInteger maxFee, BigInteger baseFee) {
        BigInteger mined = rpc("eth_getTransactionCount", web3j.ethGetTransactionCount(from(), DefaultBlockParameterName.LATEST))
                .getTransactionCount();
        if (unmined != null) {
            Terms stuck = unmined.terms();
            boolean nonceOpen = mined.compareTo(stuck.nonce()) <= 0;
            if (nonceOpen && isKnown(unmined.hash())) {
                Terms replacement = takingOver(unmined.hash(), stuck, tip, maxFee);
                LOG.info("{}: replacing unmined transaction {} ({}, nonce {}) with fees raised to tip {} / cap {} wei",
                        action, unmined.hash(), unmined.action(), stuck.nonce(), replacement.tip(), replacement.maxFee());
                return replacement;
            }
            if (nonceOpen) {
                LOG.info("{}: unmined transaction {} ({}, nonce {}) is no longer known to the node (dropped from its pool,"
                        + " or never taken); signing afresh at the node's nonce", action, unmined.hash(), unmined.action(),
                        stuck.nonce());
            }
            unmined = null;
        }
        BigInteger nonce = rpc("eth_getTransactionCount", web3j.ethGetTransactionCount(from(), DefaultBlockParameterName.PENDING))
                .getTransactionCount();
        if (nonce.compareTo(mined) > 0) {
            Optional<Transaction> blocking = pooled(mined);
            if (blocking.isPresent() && feeCap(blocking.get()).compareTo(baseFee) < 0) {
                Transaction tx = blocking.get();
                Terms replacement = takingOver(tx.getHash(), new Terms(mined, tip(tx), feeCap(tx), null), tip, maxFee);
                LOG.warn("{}: transaction {} from this key (nonce {}), which this process did not send, cannot be mined: its fee cap of {} wei"
                        + " is below the base fee of {} wei, and every later transaction would wait behind it; replacing it with fees"
                        + " raised to tip {} / cap {} wei", action, tx.getHash(), mined, feeCap(tx), baseFee, replacement.tip(), replacement.maxFee());
                return replacement;
            }
        }
        return new Terms(nonce, tip, maxFee, null);
    }

    /**
     * This key's oldest transaction that the node holds unmined and can still mine, as "hash (nonce N)", or "nonce N"
     * where the node does not list its pool: a transaction sent now would queue behind it, and both would land. Empty
     * when there is none, or when the next send takes it over (this client's own left unmined, or one whose fee cap is
     * below the next base fee, see {@link #nextTerms}).
     */
    synchronized Optional<String> transactionAhead() {
        BigInteger mined = rpc("eth_getTransactionCount", web3j.ethGetTransactionCount(from(), DefaultBlockParameterName.LATEST))
                .getTransactionCount();
        BigInteger pending = rpc("eth_getTransactionCount", web3j.ethGetTransactionCount(from(), DefaultBlockParameterName.PENDING))
                .getTransactionCount();
        if (pending.compareTo(mined) <= 0 || (unmined != null && unmined.terms().nonce().equals(mined))) {
            return Optional.empty();
        }
        Optional<Transaction> blocking = pooled(mined);
        if (blocking.isEmpty()) {
            return Optional.of("nonce " + mined);
        }
        if (feeCap(blocking.get()).compareTo(nextBaseFee()) < 0) {
            return Optional.empty();
        }
        return Optional.of(blocking.get().getHash() + " (nonce " + mined + ")");
    }

    /**
     * The terms with their fee cap and tip held to the operator's ceiling. Lowering the cap to the ceiling still
     * lands while the base fee is below it; a base fee above it means nothing is signed, since every fee figure
     * here comes from the node and one that reports a huge base fee or tip must not be able to drain the key. Nor is
     * a replacement signed that the ceiling would hold below what the node needs to replace (both fees of the
     * replaced transaction raised): it would be refused, and the transaction it was to replace may still land. A
     * replacement the ceiling does outbid is held to it like any other transaction: after a fee spike, twice the new
     * base fee may pass the ceiling while the ceiling still pays the base fee and outbids the stranded transaction.
     */
    private Terms withinCeiling(String action, Terms terms, BigInteger baseFee) {
        if (options.maxFeePerGas().isEmpty()) {
            return terms;
        }
        BigInteger ceiling = options.maxFeePerGas().get();
        if (baseFee.compareTo(ceiling) > 0) {
            throw new FeeAboveCeiling(action + " not sent: the next block's base fee is " + baseFee + " wei per gas, above"
                    + " the ceiling of " + ceiling + " wei (chain.max_fee_per_gas_wei); nothing was signed. Raise the"
                    + " ceiling if the chain really is this busy, or check that chain.rpc_url is a node you trust");
        }
        if (terms.maxFee().compareTo(ceiling) <= 0) {
            return terms;
        }
        Replaced replaced = terms.replaces();
        if (replaced != null && (raised(replaced.maxFee()).compareTo(ceiling) > 0 || raised(replaced.tip()).compareTo(ceiling) > 0)) {
            throw new FeeAboveCeiling(action + " not sent: transaction " + terms.replaces().hash() + " from this key (nonce "
                    + terms.nonce() + ") is still unmined with a fee cap of " + terms.replaces().maxFee() + " wei, and"
                    + " replacing it takes more than the ceiling of " + ceiling + " wei (chain.max_fee_per_gas_wei); it may"
                    + " still land. Raise the ceiling to have it replaced");
        }
        LOG.info("{}: fee cap {} wei per gas held to the ceiling of {} wei (chain.max_fee_per_gas_wei)", action,
                terms.maxFee(), ceiling);
        return new Terms(terms.nonce(), terms.tip().min(ceiling), ceiling, replaced);
    }

    private static Terms takingOver(String stuckHash, Terms stuck, BigInteger tip, BigInteger maxFee) {
        BigInteger raisedTip = tip.max(raised(stuck.tip()));
        BigInteger raisedFee = maxFee.max(raised(stuck.maxFee())).max(raisedTip);
        return new Terms(stuck.nonce(), raisedTip, raisedFee, new Replaced(stuckHash, stuck.maxFee(), stuck.tip()));
    }

    /**
     * This key's transaction with {@code nonce} in the node's pool (txpool_content), or empty where the node does
     * not offer that method (subtensor does not) or answers it in a shape web3j cannot read: the next transaction
     * then queues behind it, as it would without the lookup.
     */
    private Optional<Transaction> pooled(BigInteger nonce) {
        TxPoolContent pool;
        try {
            pool = rpcAllowingError("txpool_content", web3j.txPoolContent());
        } catch (ChainException unreadable) {
            LOG.debug("the node's pool could not be read (txpool_content): {}", unreadable.getMessage());
            return Optional.empty();
        }
        if (pool.hasError() || pool.getResult() == null) {
            LOG.debug("the node does not list its pool (txpool_content): {}", pool.hasError() ? pool.getError().getMessage() : "no result");
            return Optional.empty();
        }
        return pool.getResult().getPendingTransactions().stream()
                .filter(tx -> from().equalsIgnoreCase(tx.getFrom()) && nonce.equals(tx.getNonce()))
                .findFirst();
    }

    private static BigInteger feeCap(Transaction tx) {
        return tx.getMaxFeePerGasRaw() != null ? tx.getMaxFeePerGas() : tx.getGasPrice();
    }

    private static BigInteger tip(Transaction tx) {
        return tx.getMaxPriorityFeePerGasRaw() != null ? tx.getMaxPriorityFeePerGas() : tx.getGasPrice();
    }

    /**
     * The base fee the next block will charge: the pending block's where the node builds one (it already holds a
     * change the latest block has not shown yet), else the latest block's.
     */
    private BigInteger nextBaseFee() {
        EthBlock reply = rpcAllowingError("eth_getBlockByNumber", web3j.ethGetBlockByNumber(DefaultBlockParameterName.PENDING, false));
        EthBlock.Block pending = reply.hasError() ? null : reply.getBlock();
        if (pending != null && pending.getBaseFeePerGasRaw() != null) {
            return pending.getBaseFeePerGas();
        }
        return rpc("eth_getBlockByNumber", web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock().getBaseFeePerGas();
    }

    private static BigInteger raised(BigInteger fee) {
        return fee.add(fee.shiftRight(3)).add(BigInteger.ONE);
    }

    /** A transaction's nonce and fees; {@code replaces} names the unmined one it takes over, null for a fresh one. */
    private record Terms(BigInteger nonce, BigInteger tip, BigInteger maxFee, Replaced replaces) {
    }

    /** The unmined transaction a replacement takes over: its hash, its fee cap and its tip. */
    private record Replaced(String hash, BigInteger maxFee, BigInteger tip) {
    }

    /** A sent transaction whose receipt has not been seen: what it does, its hash and its terms. */
    private record Unmined(String action, String hash, Terms terms) {
    }

    /** Whether the node has this transaction: a retried send whose first attempt got through meets its own nonce. */
    private boolean isKnown(String txHash) {
        return rpc("eth_getTransactionByHash", web3j.ethGetTransactionByHash(txHash)).getTransaction().isPresent();
    }

    static ChainReceipt summary(TransactionReceipt receipt) {
        return new ChainReceipt(receipt.getTransactionHash(), receipt.getBlockNumber().longValueExact(), receipt.getGasUsed().longValueExact());
    }

    /** eth_call at the latest block; a revert becomes a {@link TransactionRejected}. */
    String call(String action, String to, String data) {
        return call(action, to, data, DefaultBlockParameterName.LATEST);
    }

    /** eth_call on the state after {@code block}; a revert becomes a {@link TransactionRejected}. */
    String call(String action, String to, String data, DefaultBlockParameter block) {
        return call(action, to, data, BigInteger.ZERO, block);
    }

    private String call(String action, String to, String data, BigInteger value, DefaultBlockParameter block) {
        var tx = org.web3j.protocol.core.methods.request.Transaction.createFunctionCallTransaction(from(), null, null, null, to, value, data);
        EthCall result = rpcAllowingError("eth_call", web3j.ethCall(tx, block));
        if (result.hasError()) {
            throw rejectionFromError(action, result.getError());
        }
        return result.getValue();
    }

    private BigInteger estimateGas(String action, String to, String data, BigInteger value) {
        var tx = org.web3j.protocol.core.methods.request.Transaction.createFunctionCallTransaction(from(), null, null, null, to, value, data);
        EthEstimateGas estimate = rpcAllowingError("eth_estimateGas", web3j.ethEstimateGas(tx));
        if (estimate.hasError()) {
            throw rejectionFromError(action, estimate.getError());
        }
        return withMargin(estimate.getAmountUsed());
    }

    private BigInteger withMargin(BigInteger gas) {
        return gas.add(gas.multiply(BigInteger.valueOf(options.gasMarginPercent())).divide(BigInteger.valueOf(100)));
    }

    private BigInteger suggestedTip() {
        try {
            return rpc("eth_maxPriorityFeePerGas", web3j.ethMaxPriorityFeePerGas()).getMaxPriorityFeePerGas();
        } catch (ChainException unsupported) {
            return BigInteger.valueOf(1_000_000_000L);
        }
    }

    /**
     * Polls for the receipt until {@code receipt_timeout}. A node that stays unreachable through one call's retries
     * ends the wait at once: the caller's other chain work (and its view of the node's health) must not queue
     * behind an outage; the transaction is then replaced by the next send.
     */
    private TransactionReceipt awaitReceipt(String action, String txHash) {
        long deadline = System.nanoTime() + options.receiptTimeout().toNanos();
        while (true) {
            Optional<TransactionReceipt> receipt = rpc("eth_getTransactionReceipt", web3j.ethGetTransactionReceipt(txHash))
                    .getTransactionReceipt();
            if (receipt.isPresent()) {
                return receipt.get();
            }
            if (System.nanoTime() > deadline) {
                throw new ReceiptTimeout(action, txHash, options.receiptTimeout());
            }
            RetryingRpc.pause(options.receiptPoll().toMillis());
        }
    }

    /**
     * A mined revert carries no reason; re-running the call on its block's final state recovers it (that
     * state holds what the transactions before it changed, which is what usually makes a race revert).
     */
    private TransactionRejected replayRevert(String action, String to, String data, BigInteger value, TransactionReceipt receipt) {
        try {
            call(action, to, data, value, DefaultBlockParameter.valueOf(receipt.getBlockNumber()));
        } catch (TransactionRejected rejected) {
            // A node that will not replay it (a provider's backend without the block yet, pruned state) says nothing
            // of the revert, and its refusal must not read as one before sending: this one was mined and paid for.
            String reason = TransactionRejected.NODE_REFUSED.equals(rejected.errorName()) ? RevertDecoder.UNKNOWN : rejected.errorName();
            return new TransactionRejected(action, reason, rejected.arguments(), receipt.getTransactionHash());
        }
        return new TransactionRejected(action, RevertDecoder.UNKNOWN, List.of(), receipt.getTransactionHash());
    }

    /** A refusal before anything was mined (estimate, call or send), so the rejection carries no transaction hash. */
    private TransactionRejected rejectionFromError(String action, Response.Error error) {
        String data = error.getData();
        if (data != null) {
            data = data.replace("\"", "").strip();
        }
        if (error.getCode() == REVERT_CODE || (data != null && data.startsWith("0x"))) {
            RevertDecoder.Revert revert = revertDecoder.decode(data);
            return new TransactionRejected(action, revert.name(), revert.arguments(), null);
        }
        return TransactionRejected.refusedByNode(action, from(), error.getCode(), error.getMessage());
    }

    private <T extends Response<?>> T rpc(String method, Request<?, T> request) {
        return rpc.send(method, request);
    }

    private <T extends Response<?>> T rpcAllowingError(String method, Request<?, T> request) {
        return rpc.sendAllowingError(method, request);
    }
}
