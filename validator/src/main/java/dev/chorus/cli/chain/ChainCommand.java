package dev.chorus.cli.chain;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code chorus chain}: the local chain and a subnet's on-chain state. */
@Command(name = "chain",
        mixinStandardHelpOptions = true,
        description = "Run a local chain with a subnet, inspect a subnet, and send operator transactions.",
        subcommands = {
                ChainUpCommand.class,
                ChainStatusCommand.class,
                ChainRegisterCommand.class,
                ChainServeCommand.class,
                ChainStakeCommand.class,
                ChainSetHyperparameterCommand.class,
                ChainWeightsCommand.class,
                EpochCommand.class
        })
public final class ChainCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public ChainCommand() {
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
