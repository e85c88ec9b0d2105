package dev.chorus.cli.chain;

import dev.chorus.chain.web3j.Web3jSubnetChain;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code chorus chain register}: burn-register the signing key as a hotkey. */
@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Burn-register the signing key as its own hotkey on the subnet and print its uid.")
public final class ChainRegisterCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ChainTargetOptions target = new ChainTargetOptions();

    @Mixin
    KeyOptions key = new KeyOptions();

    public ChainRegisterCommand() {
    }

    @Override
    public Integer call() {
        int netuid = target.endpoint().netuid();
        try (Web3jSubnetChain chain = target.connect(key.credentials())) {
            int uid = chain.register(netuid);
            spec.commandLine().getOut().println("registered " + chain.signer() + " on subnet " + netuid + " as uid " + uid);
        }
        return 0;
    }
}
