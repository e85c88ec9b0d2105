package dev.chorus.cli.chain;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.cli.UserInputException;
import dev.chorus.config.IpLiteral;
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
    public Integer call() {
        // Refused here, before a key is read or the chain is asked, rather than by the client as a runtime failure.
        if (port < 1 || port > 65_535) {
            throw new UserInputException("--port " + port + " is not a TCP port: give the port the miner's server listens"
                    + " on, 1 to 65535");
        }
        if (IpLiteral.parse(host).isEmpty()) {
            throw new UserInputException("--host '" + host.strip() + "' is not an IP address: give the axon's IPv4 or IPv6"
                    + " address, e.g. 203.0.113.7 (the chain stores an address; host names are not resolved)");
        }
        return super.call();
    }

    @Override
    void send(Web3jSubnetChain chain, int netuid, PrintWriter out) {
        ChainReceipt receipt = chain.serveAxon(netuid, host, port);
        out.println("axon of " + chain.signer() + " on subnet " + netuid + " is " + IpLiteral.withPort(host.strip(), port)
                + " (block " + receipt.block() + ", tx " + receipt.txHash() + ")");
    }
}
