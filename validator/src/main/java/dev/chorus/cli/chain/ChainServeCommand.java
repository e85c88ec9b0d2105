package dev.chorus.cli.chain;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code chorus chain serve}: announce the signing hotkey's axon. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Announce where the signing hotkey's axon (miner server) listens.")
public final class ChainServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ChainTargetOptions target = new ChainTargetOptions();

    @Mixin
    KeyOptions key = new KeyOptions();

    @Option(names = "--host", required = true, paramLabel = "IP", description = "IPv4 or IPv6 address of the axon.")
    String host;

    @Option(names = "--port", required = true, paramLabel = "PORT", description = "Port of the axon.")
    int port;

    public ChainServeCommand() {
    }

    @Override
    public Integer call() {
        int netuid = target.endpoint().netuid();
        try (Web3jSubnetChain chain = target.connect(key.credentials())) {
            ChainReceipt receipt = chain.serveAxon(netuid, host, port);
            spec.commandLine().getOut().println("axon of " + chain.signer() + " on subnet " + netuid + " is " + host + ":" + port
                    + " (block " + receipt.block() + ", tx " + receipt.txHash() + ")");
        }
        return 0;
    }
}
