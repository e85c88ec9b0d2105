package dev.chorus.cli.chain;

import dev.chorus.chain.AxonInfo;
import dev.chorus.chain.ChainException;
import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.cli.UserInputException;
import dev.chorus.config.IpLiteral;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus chain serve}: announce the signing hotkey's axon. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Announce where the signing hotkey's axon (miner server) listens; one the chain already holds there sends nothing.")
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
        Optional<InetAddress> address = IpLiteral.parse(host);
        if (address.isEmpty()) {
            throw new UserInputException("--host '" + host.strip() + "' is not an IP address: give the axon's IPv4 or IPv6"
                    + " address, e.g. 203.0.113.7 (the chain stores an address; host names are not resolved)");
        }
        if (address.get().isAnyLocalAddress()) {
            // The chain refuses it (stored, it would read back as no axon), as the miner's server.external_host does.
            throw new UserInputException("--host '" + host.strip() + "' is the any address a server listens on, not one"
                    + " validators can reach: give the IP address validators reach the axon at, e.g. 203.0.113.7, or"
                    + " 127.0.0.1 on a local chain");
        }
        return super.call();
    }

    /**
     * An axon the chain already holds at this address is the outcome the user wanted, as {@code miner --register} takes
     * it: sending it again would only meet the subnet's serving rate limit.
     */
    @Override
    void send(Web3jSubnetChain chain, int netuid, PrintWriter out) {
        String endpoint = IpLiteral.withPort(host.strip(), port);
        Optional<Neuron> neuron = chain.metagraph(netuid).byHotkey(chain.signer());
        if (neuron.isPresent() && neuron.get().axon().servesAt(host.strip(), port)) {
            out.println("axon of " + chain.signer() + " on subnet " + netuid + " is already " + endpoint + " (served in block "
                    + neuron.get().axon().block() + "); nothing was sent");
            return;
        }
        ChainReceipt receipt;
        try {
            receipt = chain.serveAxon(netuid, host, port);
        } catch (TransactionRejected rejected) {
            if (rejected.errorName().equals("InvalidIpAddress") && IpLiteral.parse(host).orElseThrow().isLoopbackAddress()) {
                throw new ChainException(rejected.getMessage() + ": subnet " + netuid + " takes no loopback axon"
                        + " (allowLoopbackAxons is false), since validators elsewhere cannot reach it; give the IP address"
                        + " validators reach the axon at", rejected);
            }
            if (!rejected.errorName().equals("ServingRateLimitExceeded") || neuron.isEmpty()) {
                throw rejected;
            }
            throw rateLimited(rejected, chain, netuid, neuron.get().axon());
        }
        out.println("axon of " + chain.signer() + " on subnet " + netuid + " is " + endpoint
                + " (block " + receipt.block() + ", tx " + receipt.txHash() + ")");
    }

    /** The contract's error names no block; the user needs to know when the update may go. */
    private static ChainException rateLimited(TransactionRejected rejected, Web3jSubnetChain chain, int netuid, AxonInfo served) {
        long limit = chain.hyperparameters(netuid).servingRateLimit();
        return new ChainException(rejected.getMessage() + ": subnet " + netuid + " takes one axon update per hotkey every "
                + limit + " blocks (servingRateLimit), and " + served.endpoint() + " was served in block " + served.block()
                + ", so the next update may land from block " + (served.block() + limit) + " on; the chain is at block "
                + chain.blockNumber() + ". Run this again then", rejected);
    }
}
