package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.chorus.miner.server.StopOnSignal;
import dev.chorus.validator.CauseChain;
import dev.chorus.validator.demo.DemoNetwork;
import dev.chorus.validator.demo.DemoReport;
import dev.chorus.validator.state.FileProblem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Runs a whole subnet on this machine for a few tempos and reports who earned what. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a whole subnet on this machine for a few tempos and report who earned what.",
                "Starts a local chain, creates a subnet, runs validators and miners of",
                "known quality, then prints per miner: kind, mean reward, the weight each",
                "validator set on chain, consensus, incentive and emission."})
final class DemoCommand implements Callable<Integer> {

    /** How long Ctrl-C waits for the network's validators to stop and save their state. */
    private static final Duration CLOSE_WAIT = Duration.ofMinutes(2);

    @Option(names = "--json", description = "Print the report as JSON on stdout (progress goes to stderr).")
    boolean json;

    @Option(names = "--keep-running", description = "Leave the network up after the report, with the dashboards' URLs, until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--tempos", defaultValue = "3", paramLabel = "N", description = "Epochs to run before the report (default: ${DEFAULT-VALUE}).")
    int tempos;

    @Option(names = "--tempo", defaultValue = "12", paramLabel = "BLOCKS", description = "Blocks per epoch (default: ${DEFAULT-VALUE}).")
    int tempo;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where validators keep state and round logs: a new"
            + " folder, or one without an earlier demo's (default: a new temporary folder).")
    Path stateDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** How the network is started; tests replace it to fail fast. */
    interface Starter {
        DemoNetwork start(DemoNetwork.Options options, PrintStream progress) throws Exception;
    }

    Starter starter = DemoNetwork::run;

    /** Where the default state folder is created. */
    Path temporaryRoot = Path.of(System.getProperty("java.io.tmpdir"));

    @Override
    public Integer call() throws Exception {
        if (tempos < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tempos " + tempos + " must be at least 1");
        }
        if (tempo < 4 || tempo > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--tempo " + tempo + " must be between 4 and 65535 blocks");
        }
        if (stateDir != null && Files.exists(stateDir) && !Files.isDirectory(stateDir)) {
            throw new UserInputException("--state-dir " + stateDir + " is a file; give a folder (a missing one is created),"
                    + " or leave --state-dir out for a new temporary folder");
        }
        if (stateDir != null && Files.isDirectory(stateDir)) {
            // Validators restore their state and append to their round logs, so a second run in the same folder would
            // start from the first run's score books, from another chain, and its logs would hold both runs.
            Path earlier = earlierRun(stateDir);
            if (earlier != null) {
                throw new UserInputException("--state-dir " + stateDir + " already holds an earlier demo's state and round"
                        + " logs (" + earlier + "); a new run would restore its score books and append to its logs, so"
                        + " its table and a replay would mix both runs. Give a new folder, or delete " + stateDir + " first");
            }
        }
        if (stateDir != null) {
            // Found out after the chain, the model and a dozen processes had started, this failed with the bare path.
            try {
                Files.createDirectories(stateDir);
            } catch (IOException e) {
                throw new UserInputException("--state-dir " + stateDir + " cannot be made: " + FileProblem.describe(e)
                        + "; give a folder this user may write, or leave --state-dir out for a new temporary folder");
            }
        }
        Path dir = stateDir != null ? stateDir : Files.createTempDirectory(temporaryRoot, "chorus-demo-");
        try {
            return run(dir);
        } catch (Exception | Error e) {
            if (stateDir == null) {
                deleteTree(dir); // a folder of ours that a failed run would leave behind, with nothing worth keeping
            }
            throw e;
        }
    }

    /** The first entry of an earlier demo's in {@code dir}, or null when it holds none. */
    private static Path earlierRun(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().equals(DemoNetwork.TRUTH_FILE)
                            || Files.isDirectory(p) && p.getFileName().toString().matches(
                                    Pattern.quote(DemoNetwork.VALIDATOR_FOLDER) + "[0-9]+"))
                    .sorted().findFirst().orElse(null);
        }
    }

    private Integer run(Path dir) throws Exception {
        PrintStream progress = System.err;
        DemoNetwork.Options defaults = DemoNetwork.Options.defaults(dir);
        DemoNetwork.Options options = new DemoNetwork.Options(tempo, tempos, defaults.validators(), defaults.blockMillis(),
                defaults.roundPeriod(), dir);
        CountDownLatch closed = new CountDownLatch(1);
        AtomicBoolean signalled = new AtomicBoolean();
        Thread running = Thread.currentThread();
        // On SIGTERM or Ctrl-C this thread is interrupted and closes the network before the JVM shuts down: the
        // validators finish their rounds in flight and save while ONNX Runtime still works (its own shutdown hook
        // releases the runtime under whatever still embeds).
        AtomicBoolean reported = new AtomicBoolean();
        StopOnSignal onSignal = StopOnSignal.install("chorus-demo-shutdown", () -> {
            signalled.set(true);
            running.interrupt();
            // The JVM halts once this returns: hold it until the network has stopped, bounded, so that a stop that
            // hangs cannot hold the exit forever.
            try {
                if (!closed.await(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    progress.println("the network did not stop within " + CLOSE_WAIT.toSeconds() + " s; exiting");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, reported::get);
        try (DemoNetwork network = starter.start(options, progress)) {
            DemoReport report = network.report();
            PrintWriter out = spec.commandLine().getOut();
            String whereItWent = "round logs and state: " + dir + System.lineSeparator()
                    + "replay a validator's rounds: bin/chorus-bench replay --rounds " + dir.resolve("validator-0")
                    + " --config " + dir.resolve("validator-0").resolve("validator.yaml") + " --trust logged";
            if (json) {
                out.println(new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                        .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
                // stdout carries the JSON alone, for a pipe; where the logs went is still worth saying
                progress.println(whereItWent);
            } else {
                out.print(table(report));
                out.println(whereItWent);
            }
            out.flush();
            reported.set(true);
            if (keepRunning) {
                progress.println("network is up; dashboards: " + String.join(", ", network.dashboards()));
                progress.println("ask the subnet (organic API of the first validator):");
                progress.println(network.organicExample());
                progress.println("chain RPC " + report.rpcUrl() + ", contract " + report.contract() + ", netuid " + report.netuid()
                        + "; press Ctrl-C to stop");
                Thread.sleep(Long.MAX_VALUE);
            }
        } catch (Exception e) {
            // A failure of the work the signal interrupted (a wait, a chain call) is the stop, not a fault; one of
            // another cause (the signal came while a failed run was closing) is still reported as the failure.
            if (!signalled.get() || !interruption(e)) {
                throw e;
            }
            if (!reported.get()) {
                if (stateDir == null) {
                    deleteTree(dir);
                }
                progress.println("demo stopped by a signal before its report" + (stateDir == null ? ""
                        : "; round logs and state so far: " + dir));
            }
        } finally {
            closed.countDown();
            if (!signalled.get()) {
                // Run in-process (tests, another program), the JVM goes on: its signals are its own again.
                onSignal.release();
            }
        }
        // The same status as the signal's own exit, whichever of the two ends the process first.
        return signalled.get() ? onSignal.exitStatus() : 0;
    }

    private static boolean interruption(Throwable failure) {
        return CauseChain.contains(failure, List.of(InterruptedException.class, java.io.InterruptedIOException.class,
                java.nio.channels.ClosedByInterruptException.class));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException notDeleted) {
            // The run's own failure is what the user needs to see; a leftover temporary folder is the OS's to clear.
        }
    }

    static String table(DemoReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nsubnet %d after %d epochs (contract %s)%n%n", report.netuid(), report.epochs(), report.contract()));
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-4s %-12s %-7s %-50s %7s", "uid", "kind", "honest", "last answer", "reward"));
        for (DemoReport.ValidatorRow v : report.validators()) {
            header.append(String.format(Locale.ROOT, " %8s", "w(v" + v.uid() + ")"));
        }
        header.append(String.format(Locale.ROOT, " %9s %9s %14s", "consensus", "incentive", "emission (rao)"));
        out.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        for (DemoReport.MinerRow m : report.miners()) {
            out.append(String.format(Locale.ROOT, "%-4d %-12s %-7s %-50s %7.3f", m.uid(), m.kind(), m.honest() ? "yes" : "no",
                    m.answer(), m.meanReward()));
            for (double w : m.weights()) {
                out.append(String.format(Locale.ROOT, " %8.3f", w));
            }
            out.append(String.format(Locale.ROOT, " %9.3f %9.3f %14d%n", m.consensus(), m.incentive(), m.emission()));
        }
        out.append('\n');
        for (DemoReport.ValidatorRow v : report.validators()) {
            out.append(String.format(Locale.ROOT, "validator uid %d %s: %d rounds logged by now, %d weight transactions accepted%n",
                    v.uid(), v.hotkey(), v.rounds(), v.weightsSet()));
        }
        return out.toString();
    }
}
