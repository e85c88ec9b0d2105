package dev.chorus.cli.chain;

import dev.chorus.chain.ChainException;
import dev.chorus.chain.ReceiptTimeout;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** A chain command that sends one signed transaction: the target subnet and the key come from the same options everywhere. */
abstract class SignedChainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ChainTargetOptions target = new ChainTargetOptions();

    @Mixin
    KeyOptions key = new KeyOptions();

    /**
     * Sends nothing while a transaction of the key still waits to be mined: a command whose receipt did not come in
     * time ends with its transaction in the pool, and the same command run again would queue behind it, so that both
     * land (twice the stake). The client takes over only its own process's transactions, and a command is a process.
     */
    @Override
    public Integer call() {
        int netuid = target.endpoint().netuid();
        PrintWriter out = spec.commandLine().getOut();
        try (Web3jSubnetChain chain = target.connect(key.credentials())) {
            Optional<String> ahead = chain.transactionAhead();
            if (ahead.isPresent()) {
                throw new ChainException("transaction " + ahead.get() + " from " + chain.signer() + " is still waiting to"
                        + " be mined, and what this command sends would land after it, also if it repeats an earlier command"
                        + " that stopped waiting for it; nothing was sent. Run this again once that transaction is mined"
                        + " (`chorus chain status` shows what it did) or gone from the node's pool, if it is still needed");
            }
            send(chain, netuid, out);
        } catch (ReceiptTimeout timeout) {
            // Not chained: the failure report would add the cause's words, which promise a take-over by this process.
            throw new ChainException(timeout.action() + ": transaction " + timeout.txHash() + " was not mined within"
                    + " chain.receipt_timeout; it may still land. Check `chorus chain status` before running this again:"
                    + " while it waits, chain commands signed with this key refuse to send (to wait longer, add"
                    + " --set chain.receipt_timeout=5m)");
        }
        out.flush();
        return 0;
    }

    /** Sends the command's transaction(s) as the signing key and reports the outcome on {@code out}. */
    abstract void send(Web3jSubnetChain chain, int netuid, PrintWriter out);
}
