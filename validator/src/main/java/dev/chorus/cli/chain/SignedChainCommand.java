package dev.chorus.cli.chain;

import dev.chorus.chain.web3j.Web3jSubnetChain;
import java.io.PrintWriter;
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

    @Override
    public Integer call() {
        int netuid = target.endpoint().netuid();
        PrintWriter out = spec.commandLine().getOut();
        try (Web3jSubnetChain chain = target.connect(key.credentials())) {
            send(chain, netuid, out);
        }
        out.flush();
        return 0;
    }

    /** Sends the command's transaction(s) as the signing key and reports the outcome on {@code out}. */
    abstract void send(Web3jSubnetChain chain, int netuid, PrintWriter out);
}
