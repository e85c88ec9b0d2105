package dev.chorus.cli.chain;

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
// Not Runnable: without a subcommand, picocli says one is missing and prints the usage on stderr (exit 2).
public final class ChainCommand {

    public ChainCommand() {
    }
}
