package dev.chorus.cli;

import dev.chorus.cli.chain.ChainCommand;
import dev.chorus.chain.ChainException;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.config.ConfigException;
import dev.chorus.validator.ChainClients;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point of the {@code chorus} launcher. */
@Command(name = "chorus",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Chorus: a model-consensus subnet. Miners answer, validators score by consensus, the chain pays by Yuma.",
        subcommands = {
                DemoCommand.class,
                ValidatorCommand.class,
                MinerCommand.class,
                ChainCommand.class,
                EmbedCommand.class,
                YumaCommand.class,
                AskCommand.class,
                KeyCommand.class,
                VersionCommand.class,
                CommandLine.HelpCommand.class
        })
// Neither Runnable nor Callable: without a subcommand, picocli says one is missing and prints the usage on stderr (exit 2).
public final class ChorusCommand {

    /** Exit code for bad arguments, bad configuration or bad input files. */
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests that drive the CLI in-process. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new ChorusCommand());
        commandLine.setExecutionExceptionHandler(ChorusCommand::handleFailure);
        return commandLine;
    }

    private static int handleFailure(Exception failure, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        if (failure instanceof ConfigException || failure instanceof UserInputException) {
            err.println(failure.getMessage());
            return EXIT_USAGE;
        }
        err.println(commandLine.getCommandSpec().qualifiedName() + " failed: " + describe(failure));
        if (failure instanceof ChainException && ChainClients.notAnswered(failure)) {
            err.println("the chain node did not answer: is it running (`chorus chain up` starts a local one), and is the"
                    + " URL right (--rpc-url, chain.rpc_url, or the endpoint file of `chorus chain up`)?");
        }
        if (failure instanceof TransactionRejected rejected && rejected.errorName().equals("SubnetNotExists")) {
            err.println("no subnet with that netuid exists on this chain: check --netuid (chain.netuid); `chorus chain up`"
                    + " printed the local chain's netuid, and its endpoint file holds it");
        }
        if (Boolean.getBoolean("chorus.stacktrace")) {
            failure.printStackTrace(err);
        } else {
            err.println("(run with JAVA_OPTS=-Dchorus.stacktrace=true for the stack trace)");
        }
        return 1;
    }

    /** The message and its causes', each said once: a wrapper often repeats its cause's message already. */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append(": ").append(cause.getMessage());
            }
        }
        return text.toString();
    }
}
