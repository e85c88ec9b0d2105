package dev.chorus.cli;

import dev.chorus.cli.chain.ChainCommand;
import dev.chorus.chain.ChainException;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.config.ConfigException;
import dev.chorus.validator.ChainClients;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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

    /** Why a command's printed result is incomplete; {@link System#out} keeps the cause to itself. */
    static final String OUTPUT_LOST = "standard output could not be written (its reader closed the pipe, or the disk is"
            + " full)";

    /** The levels logback.xml's {@code CHORUS_LOG_LEVEL} may name. */
    static final List<String> LOG_LEVELS = List.of("ERROR", "WARN", "INFO", "DEBUG", "TRACE", "OFF");

    public static void main(String[] args) {
        Optional<String> levelProblem = logLevelProblem(System.getenv("CHORUS_LOG_LEVEL"));
        if (levelProblem.isPresent()) {
            System.err.println(levelProblem.get());
            System.exit(EXIT_USAGE);
        }
        int exit = commandLine().execute(args);
        System.exit(exit == 0 && System.out.checkError() ? outputLost() : exit);
    }

    /**
     * A command's printed result is its product: one cut short by a full disk or a reader gone ({@code | head}) must
     * not exit 0 over a partial file. {@link System#out} keeps its write errors to itself, so they are asked for here.
     */
    private static int outputLost() {
        System.err.println("chorus: " + OUTPUT_LOST + "; what was printed is incomplete");
        return 1;
    }

    /**
     * Why {@code value} (null when unset) cannot be the log level. Checked before anything logs, since logback reads a
     * level it does not know as DEBUG, and an operator's typo would turn on a flood of lines without a word.
     */
    static Optional<String> logLevelProblem(String value) {
        if (value == null || LOG_LEVELS.contains(value.toUpperCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of("CHORUS_LOG_LEVEL '" + value + "' is not a log level: set it to one of "
                + String.join(", ", LOG_LEVELS) + " (INFO when unset), or unset it");
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
            // Only the chain commands have --rpc-url and read chain up's endpoint file; the services read their config.
            boolean chainCommand = commandLine.getCommandSpec().qualifiedName().startsWith("chorus chain ");
            err.println("the chain node did not answer: is it running (`chorus chain up` starts a local one), and is the"
                    + " URL right (" + (chainCommand ? "--rpc-url, or the endpoint file of `chorus chain up`"
                    : "chain.rpc_url: in the config file, CHORUS_CHAIN_RPC_URL or --set chain.rpc_url=...") + ")?");
        }
        if (failure instanceof TransactionRejected rejected && rejected.errorName().equals("SubnetNotExists")) {
            err.println("no subnet with that netuid exists on this chain: check --netuid (chain.netuid); `chorus chain up`"
                    + " printed the local chain's netuid, and its endpoint file holds it");
        }
        if (failure instanceof TransactionRejected rejected && rejected.errorName().startsWith("HotKeyNotRegistered")) {
            err.println("the hotkey has no uid on this subnet: register it first with `chorus chain register` (signed"
                    + " with that hotkey's key, on the same --netuid), then run this again");
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
