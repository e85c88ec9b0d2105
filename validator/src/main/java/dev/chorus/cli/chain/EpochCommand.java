package dev.chorus.cli.chain;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.cli.UserInputException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

/** {@code chorus chain epoch}: run the subnet's Yuma epoch on chain and show what each uid was paid. */
@Command(name = "epoch", mixinStandardHelpOptions = true,
        description = "Run the subnet's Yuma Consensus epoch on chain (anyone may, once tempo blocks have passed since the last one), "
                + "then print each uid's terms, the emission paid and its emission token balance.")
public final class EpochCommand extends SignedChainCommand {

    public EpochCommand() {
    }

    @Override
    void send(Web3jSubnetChain chain, int netuid, PrintWriter out) {
        List<BigInteger> before = balances(chain, chain.metagraph(netuid));
        ChainReceipt receipt = run(chain, netuid);
        Metagraph after = chain.metagraph(netuid);
        out.printf(Locale.ROOT, "epoch of subnet %d run in block %d (tx %s, %,d gas)%n", netuid, receipt.block(),
                receipt.txHash(), receipt.gasUsed());
        String format = "%4s  %-42s  %-6s  %9s  %9s  %9s  %14s  %14s%n";
        out.printf(Locale.ROOT, format, "uid", "hotkey", "permit", "incentive", "dividends", "vtrust", "paid", "balance");
        for (Neuron n : after.neurons()) {
            BigInteger balance = chain.emissionBalance(n.hotkey());
            BigInteger paid = n.uid() < before.size() ? balance.subtract(before.get(n.uid())) : balance;
            out.printf(Locale.ROOT, format, n.uid(), n.hotkey(), n.validatorPermit() ? "yes" : "no", proportion(n.incentive()),
                    proportion(n.dividends()), proportion(n.validatorTrust()), ChainStatusCommand.tokens(paid),
                    ChainStatusCommand.tokens(balance));
        }
    }

    private static ChainReceipt run(Web3jSubnetChain chain, int netuid) {
        try {
            return chain.runEpoch(netuid);
        } catch (TransactionRejected rejected) {
            if (rejected.errorName().equals("EpochNotDue")) {
                throw new UserInputException(notDue(netuid, new BigInteger(rejected.arguments().getFirst().toString()),
                        chain.blockNumber()));
            }
            throw rejected;
        }
    }

    /**
     * "Try again then" is no advice on a chain without a block clock: there the blocks come only with transactions,
     * so the user needs to know how many are missing and where they come from.
     */
    static String notDue(int netuid, BigInteger dueBlock, long chainBlock) {
        if (dueBlock.bitLength() > 63) {
            return "the epoch of subnet " + netuid + " never runs: its tempo is 0; give it one with `chorus chain"
                    + " set-hyperparameter tempo N`";
        }
        // The epoch's own transaction makes the next block, so it needs the chain one block short of the due block.
        long missing = dueBlock.longValueExact() - chainBlock - 1;
        return "the epoch of subnet " + netuid + " is not due yet: it may run from block " + dueBlock + " and the chain"
                + " is at block " + chainBlock + (missing > 0 ? ", " + missing + (missing == 1 ? " block" : " blocks")
                + " short. Blocks come from transactions (each one mines a block), or every N seconds when the chain was"
                + " started with `chorus chain up --block-time N`; run this again once they are there" : "; run it again now");
    }

    private static List<BigInteger> balances(Web3jSubnetChain chain, Metagraph metagraph) {
        List<BigInteger> balances = new ArrayList<>();
        for (Neuron n : metagraph.neurons()) {
            balances.add(chain.emissionBalance(n.hotkey()));
        }
        return balances;
    }

    private static String proportion(int u16) {
        return String.format(Locale.ROOT, "%.4f", u16 / 65535.0);
    }
}
