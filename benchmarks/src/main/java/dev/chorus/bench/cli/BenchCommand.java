package dev.chorus.bench.cli;

import dev.chorus.bench.replay.CachingEmbeddingModel;
import dev.chorus.cli.ProgramVersion;
import dev.chorus.config.ConfigException;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/** Entry point of the {@code chorus-bench} launcher. */
@Command(name = "chorus-bench",
        mixinStandardHelpOptions = true,
        versionProvider = BenchCommand.Version.class,
        description = "The researchers' bench: replay recorded rounds through any scorer and Yuma, simulate attacks,"
                + " and plot who earns what; and the speed benchmarks: embedding engines side by side in one JVM, and the"
                + " load of a validator and a miner server.",
        subcommands = {ReplayCommand.class, ScenarioCommand.class, CompareCommand.class, EmbeddingCommand.class,
                LoadCommand.class, MinerLoadCommand.class, CommandLine.HelpCommand.class})
public final class BenchCommand implements Runnable {

    /** Exit code for bad arguments or bad input files. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests that drive it in-process. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new BenchCommand());
        commandLine.setExecutionExceptionHandler(BenchCommand::handleFailure);
        // Each subcommand offers -V through the standard help options; without a provider of its own it prints nothing.
        Version version = new Version();
        commandLine.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(version));
        return commandLine;
    }

    /** The validator's embedding model with its default options, remembering every text it embeds. */
    static CachingEmbeddingModel openModel() {
        return openModel(EmbeddingOptions.defaults());
    }

    /** The embedding model as a validator with these options runs it, remembering every text it embeds. */
    static CachingEmbeddingModel openModel(EmbeddingOptions options) {
        return new CachingEmbeddingModel(OnnxEmbeddingModel.open(options));
    }

    /** The version the jar's manifest carries, as {@code chorus --version} reads it. */
    static final class Version extends ProgramVersion {
        Version() {
            super("chorus-bench", BenchCommand.class);
        }
    }

    private static int handleFailure(Exception failure, CommandLine commandLine, CommandLine.ParseResult parsed) {
        PrintWriter err = commandLine.getErr();
        if (failure instanceof IllegalArgumentException || failure instanceof ConfigException) {
            err.println(failure.getMessage());
            return EXIT_USAGE;
        }
        Throwable shown = failure instanceof UncheckedIOException u ? u.getCause() : failure;
        err.println("chorus-bench " + commandLine.getCommandName() + " failed: " + shown);
        if (Boolean.getBoolean("chorus.stacktrace")) {
            failure.printStackTrace(err);
        } else {
            err.println("(run with JAVA_OPTS=-Dchorus.stacktrace=true for the stack trace)");
        }
        return 1;
    }
}
