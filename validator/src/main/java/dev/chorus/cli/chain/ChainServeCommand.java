package dev.chorus.cli.chain;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus chain serve}: announce the signing hotkey's axon. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Announce where the signing hotkey's axon (miner server) listens.")
public final class ChainServeCommand extends SignedChainCommand {

    @Option(names = "--host", required = true, paramLabel = "IP", description = "IPv4 or IPv6 address of the axon.")
    String host;

    @Option(names = "--port", required = true, paramLabel = "PORT", description = "Port of the axon.")
    int port;

    public ChainServeCommand() {
    }

    @Override
    void send(Web3jSubnetChain chain, int netuid, PrintWriter out) {
        ChainReceipt receipt = chain.serveAxon(netuid, host, port);
        out.println("axon of " + chain.signer() + " on subnet " + netuid + " is " + host + ":" + port
                + " (block " + receipt.block() + ", tx " + receipt.txHash() + ")");
    }
}
