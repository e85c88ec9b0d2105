package dev.chorus.cli.chain;

import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code chorus chain run-epoch}: run the subnet's Yuma epoch on chain (anyone may, once it is due). */
@Command(name = "run-epoch", mixinStandardHelpOptions = true,
        description = "Run the subnet's Yuma epoch on chain; it is due tempo blocks after the previous one.")
public final class ChainRunEpochCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ChainTargetOptions target = new ChainTargetOptions();

    @Mixin
    KeyOptions key = new KeyOptions();

    public ChainRunEpochCommand() {
    }

    @Override
    public Integer call() {
        int netuid = target.endpoint().netuid();
        try (Web3jSubnetChain chain = target.connect(key.credentials())) {
            ChainReceipt receipt = chain.runEpoch(netuid);
            spec.commandLine().getOut().println("epoch of subnet " + netuid + " ran at block " + receipt.block()
                    + " (" + receipt.gasUsed() + " gas, tx " + receipt.txHash() + ")");
        }
        return 0;
    }
}
