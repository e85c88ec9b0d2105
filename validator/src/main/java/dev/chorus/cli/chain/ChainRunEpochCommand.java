package dev.chorus.cli.chain;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code chorus chain run-epoch}: run the subnet's Yuma epoch on chain (anyone may, once it is due). */
@Command(name = "run-epoch", mixinStandardHelpOptions = true,
        description = "Run the subnet's Yuma epoch on chain; it is due tempo blocks after the previous one.")
public final class ChainRunEpochCommand extends SignedChainCommand {

    public ChainRunEpochCommand() {
    }

    @Override
    void send(Web3jSubnetChain chain, int netuid, PrintWriter out) {
        ChainReceipt receipt = chain.runEpoch(netuid);
        out.println("epoch of subnet " + netuid + " ran at block " + receipt.block()
                + " (" + receipt.gasUsed() + " gas, tx " + receipt.txHash() + ")");
    }
}
