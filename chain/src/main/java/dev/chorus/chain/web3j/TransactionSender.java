package dev.chorus.chain.web3j;

import dev.chorus.chain.ChainException;
import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.ReceiptTimeout;
import dev.chorus.chain.TransactionRejected;
import java.math.BigInteger;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sends one signer's transactions the careful way: the nonce read from the node before every
 * transaction, EIP-1559 fees from the latest base fee, gas from an estimate (which also surfaces reverts
 * before anything is spent), receipts awaited with a deadline, reverts decoded. Requests go through
 * {@link RetryingRpc}, so a revert is never retried.
 */
final class TransactionSender {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionSender.class);
    private static final int REVERT_CODE = 3;

    private final Web3j web3j;
    private final Credentials credentials;
    private final long chainId;
    private final ClientOptions options;
    private final RevertDecoder revertDecoder;
    private final RetryingRpc rpc;

    TransactionSender(Web3j web3j, Credentials credentials, long chainId, ClientOptions options, RevertDecoder revertDecoder) {
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

    /** Sends a transaction ({@code to == null} deploys) and waits for its successful receipt. */
    synchronized TransactionReceipt send(String action, String to, String data, BigInteger value) {
        BigInteger gasLimit = estimateGas(action, to, data, value);
        BigInteger tip = options.maxPriorityFee().orElseGet(this::suggestedTip);
        BigInteger baseFee = rpc("eth_getBlockByNumber", web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false))
                .getBlock().getBaseFeePerGas();
        BigInteger maxFee = baseFee.shiftLeft(1).add(tip);
        String txHash = null;
        // The node's count, never a local one: a transaction sent elsewhere from this key moves it up, and a
        // reorg that drops one of ours moves it down; a nonce ahead of the node would queue every later send.
        // One re-sign is safe when the node says the nonce was used: that transaction was never accepted.
        for (int attempt = 1; txHash == null; attempt++) {
            BigInteger nonce = rpc("eth_getTransactionCount", web3j.ethGetTransactionCount(from(), DefaultBlockParameterName.PENDING))
                    .getTransactionCount();
            RawTransaction raw = RawTransaction.createTransaction(chainId, nonce, gasLimit, to == null ? "" : to, value, data, tip, maxFee);
            String signed = Numeric.toHexString(TransactionEncoder.signMessage(raw, credentials));
            String hash = Numeric.toHexString(Hash.sha3(Numeric.hexStringToByteArray(signed)));
            EthSendTransaction sent = rpcAllowingError("eth_sendRawTransaction", web3j.ethSendRawTransaction(signed));
            String refusal = sent.hasError() ? sent.getError().getMessage().toLowerCase(java.util.Locale.ROOT) : "";
            if (!sent.hasError() || refusal.contains("already known") || (refusal.contains("nonce too low") && isKnown(hash))) {
                txHash = hash;
            } else {
                if (!refusal.contains("nonce too low") || attempt > 1) {
                    throw rejectionFromError(action, sent.getError(), null);
                }
                LOG.debug("{}: nonce {} was used elsewhere meanwhile, re-reading it and signing again", action, nonce);
            }
        }
        TransactionReceipt receipt = awaitReceipt(action, txHash);
        if (!receipt.isStatusOK()) {
            throw replayRevert(action, to, data, value, receipt);
        }
        return receipt;
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
        return call(action, to, data, BigInteger.ZERO, DefaultBlockParameterName.LATEST);
    }

    private String call(String action, String to, String data, BigInteger value, DefaultBlockParameter block) {
        Transaction tx = Transaction.createFunctionCallTransaction(from(), null, null, null, to, value, data);
        EthCall result = rpcAllowingError("eth_call", web3j.ethCall(tx, block));
        if (result.hasError()) {
            throw rejectionFromError(action, result.getError(), null);
        }
        return result.getValue();
    }

    private BigInteger estimateGas(String action, String to, String data, BigInteger value) {
        Transaction tx = Transaction.createFunctionCallTransaction(from(), null, null, null, to, value, data);
        EthEstimateGas estimate = rpcAllowingError("eth_estimateGas", web3j.ethEstimateGas(tx));
        if (estimate.hasError()) {
            throw rejectionFromError(action, estimate.getError(), null);
        }
        BigInteger gas = estimate.getAmountUsed();
        return gas.add(gas.multiply(BigInteger.valueOf(options.gasMarginPercent())).divide(BigInteger.valueOf(100)));
    }

    private BigInteger suggestedTip() {
        try {
            return rpc("eth_maxPriorityFeePerGas", web3j.ethMaxPriorityFeePerGas()).getMaxPriorityFeePerGas();
        } catch (ChainException unsupported) {
            return BigInteger.valueOf(1_000_000_000L);
        }
    }

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
            return new TransactionRejected(action, rejected.errorName(), rejected.arguments(), receipt.getTransactionHash());
        }
        return new TransactionRejected(action, "UnknownRevert", java.util.List.of(), receipt.getTransactionHash());
    }

    private TransactionRejected rejectionFromError(String action, Response.Error error, String txHash) {
        String data = error.getData();
        if (data != null) {
            data = data.replace("\"", "").strip();
        }
        if (error.getCode() == REVERT_CODE || (data != null && data.startsWith("0x"))) {
            RevertDecoder.Revert revert = revertDecoder.decode(data);
            return new TransactionRejected(action, revert.name(), revert.arguments(), txHash);
        }
        return new TransactionRejected(action, "NodeRefused", java.util.List.of(error.getCode() + ": " + error.getMessage()), txHash);
    }

    private <T extends Response<?>> T rpc(String method, Request<?, T> request) {
        return rpc.send(method, request);
    }

    private <T extends Response<?>> T rpcAllowingError(String method, Request<?, T> request) {
        return rpc.sendAllowingError(method, request);
    }
}
