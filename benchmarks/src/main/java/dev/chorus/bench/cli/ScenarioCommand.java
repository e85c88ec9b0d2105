package dev.chorus.bench.cli;

import dev.chorus.bench.replay.CachingEmbeddingModel;
import dev.chorus.bench.replay.RecordedRounds;
import dev.chorus.bench.replay.Replay;
import dev.chorus.bench.replay.ReplaySettings;
import dev.chorus.bench.replay.ScorerName;
import dev.chorus.bench.report.ReplayReport;
import dev.chorus.bench.scenario.Acceptance;
import dev.chorus.bench.scenario.LoopbackSubnet;
import dev.chorus.bench.scenario.QaCorpus;
import dev.chorus.bench.scenario.Scenario;
import dev.chorus.bench.scenario.ScenarioSpec;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.validator.state.RoundRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code chorus-bench scenario}: a synthetic subnet with known miner quality, recorded and replayed. */
@Command(name = "scenario", mixinStandardHelpOptions = true,
        description = "Simulate a subnet of honest, noisy, copycat, colluding and lazy miners (and, if asked, padders and"
                + " openers), record its rounds in the validator's round-log format, replay them through Yuma, and"
                + " report emission by class, Spearman"
                + "(true quality, emission), Gini and tempos until the ranking settles.",
        footerHeading = "%nFiles with --out (their fields: benchmarks/README.md):%n",
        footer = {"  rounds/validator-<v>/rounds.jsonl and rounds/truth.json (the recorded rounds, for replay and compare),"
                + " scenario.json,",
                "  " + ReplayCommand.FILES})
final class ScenarioCommand implements Callable<Integer> {

    /** Apart from 1 (the command failed) and 2 (bad input), so a script tells a failed verdict from a failed run. */
    static final int EXIT_ACCEPTANCE_FAILED = 3;

    @Option(names = "--honest", defaultValue = "8",
            description = "Honest miners: two of the question's true statements, in words of their own (default: ${DEFAULT-VALUE}).")
    int honest;

    @Option(names = "--noisy", defaultValue = "4", description = "Miners with a degraded knowledge base (default: ${DEFAULT-VALUE}).")
    int noisy;

    @Option(names = "--copycats", defaultValue = "3", description = "Miners copying an honest miner (default: ${DEFAULT-VALUE}).")
    int copycats;

    @Option(names = "--colluders", defaultValue = "5", description = "Miners giving one shared wrong answer (default: ${DEFAULT-VALUE}).")
    int colluders;

    @Option(names = "--lazy", defaultValue = "2", description = "Miners giving empty or constant answers (default: ${DEFAULT-VALUE}).")
    int lazy;

    @Option(names = "--padders", defaultValue = "0",
            description = "Miners sending an honest miner's answer, later, with an off-topic sentence after it (default: ${DEFAULT-VALUE}).")
    int padders;

    @Option(names = "--openers", defaultValue = "0",
            description = "Miners sending the first 10 words of an honest miner's answer, before it (default: ${DEFAULT-VALUE}).")
    int openers;

    @Option(names = "--validators", defaultValue = "3", description = "Validators, each with its own questions (default: ${DEFAULT-VALUE}).")
    int validators;

    @Option(names = "--rounds", defaultValue = "300", description = "Rounds per validator (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--tempo", defaultValue = "10", paramLabel = "ROUNDS",
            description = "Rounds between weight submissions, each followed by an epoch (default: ${DEFAULT-VALUE}).")
    int tempo;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--scorer", defaultValue = "consensus", paramLabel = "NAME",
            description = "Scorer of the replay: consensus, mean-cosine or reference (default: ${DEFAULT-VALUE}).")
    String scorer;

    @Option(names = "--yuma", defaultValue = "classic", paramLabel = "classic|yuma3",
            description = "Bond model of the Yuma epoch (default: ${DEFAULT-VALUE}, as the published figures were measured;"
                    + " the subnet `chorus chain up` deploys runs yuma3; its optional commit-reveal is what replay"
                    + " --reveal-epochs 1 models).")
    String yuma;

    @Option(names = "--http", description = "Ask the miners through the real protocol: miner-SDK servers on loopback,"
            + " signed clients, one per validator (default: in-process).")
    boolean http;

    @Option(names = "--time-scale", defaultValue = "0.1", paramLabel = "FACTOR",
            description = "With --http: wall time per simulated millisecond of miner latency, in (0, 1] (default:"
                    + " ${DEFAULT-VALUE}, a tenth of the simulated time).")
    double timeScale;

    @Option(names = "--require-acceptance", description = "Exit " + EXIT_ACCEPTANCE_FAILED + " when the acceptance"
            + " verdict fails, once every file is written (a succeeding attack is a result, so it exits 0 otherwise).")
    boolean requireAcceptance;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!http && spec.commandLine().getParseResult().hasMatchedOption("--time-scale")) {
            throw new IllegalArgumentException("--time-scale applies to --http only: an in-process run takes no wall time"
                    + " for miner latency; add --http or drop --time-scale");
        }
        ScenarioSpec scenario = new ScenarioSpec(honest, noisy, copycats, colluders, lazy, padders, openers, validators,
                rounds, tempo, seed);
        ScorerName name = ScorerName.parse(scorer);
        boolean yuma3 = ReplayOptions.yuma3(yuma);
        // The round logs go under --out while the scenario runs, long before its files are written.
        output.prepareFolder();
        Path logDir = output.out != null ? freshRoundsFolder(output.out) : Files.createTempDirectory("chorus-scenario");
        // Ctrl-C or SIGTERM ends the JVM without the finally below: the temporary round logs would stay behind.
        Thread cleanup = new Thread(() -> deleteLeftBehind(logDir), "chorus-scenario-cleanup");
        if (output.out == null) {
            Runtime.getRuntime().addShutdownHook(cleanup);
        }
        try (CachingEmbeddingModel model = BenchCommand.openModel()) {
            Scenario.Recorded recorded = http
                    ? Scenario.run(scenario, model, logDir, LoopbackSubnet.transport(QaCorpus.bundled(), seed,
                            validators, timeScale, ValidatorConfig.defaults().rounds().minerTimeout()))
                    : Scenario.run(scenario, model, logDir);
            List<List<RoundRecord>> logs = new ArrayList<>();
            for (Path log : recorded.logs()) {
                logs.add(RecordedRounds.read(log).rounds());
            }
            ReplaySettings settings = ReplaySettings.defaults(validators, tempo, yuma3);
            ReplayReport report = ReplayReport.of(Replay.run(logs, name.create(model, ReplayOptions.scoringOptions()),
                    settings), recorded.truth());
            Acceptance acceptance = Acceptance.of(report.evaluation());
            Map<String, Object> summary = summary(scenario, acceptance, report);
            summary.put("transport", http ? Map.of("kind", "http", "timeScale", timeScale) : Map.of("kind", "in-process"));
            output.emit(spec, dir -> {
                report.write(dir, "");
                ReplayReport.writeJson(dir.resolve("scenario.json"), summary);
            }, summary, report.table() + verdict(scenario, acceptance));
            if (requireAcceptance && !acceptance.passed()) {
                spec.commandLine().getErr().println("acceptance FAILED and --require-acceptance was given: exit "
                        + EXIT_ACCEPTANCE_FAILED);
                return EXIT_ACCEPTANCE_FAILED;
            }
        } finally {
            if (output.out == null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(cleanup);
                } catch (IllegalStateException shuttingDown) {
                    // the hook deletes them
                }
                deleteTree(logDir);
            }
        }
        return 0;
    }

    /**
     * The round logs are opened for appending, as the validator opens its own, so an earlier run's logs would be
     * replayed with this run's. Refusing keeps the earlier run's files: replacing them could lose a researcher's data.
     */
    private static Path freshRoundsFolder(Path out) throws IOException {
        Path rounds = out.resolve("rounds");
        if (Files.isDirectory(rounds)) {
            try (Stream<Path> entries = Files.list(rounds)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + out + " already holds an earlier scenario's round logs in "
                            + rounds + "; a new run would append to them and replay both. Give a new --out folder, or"
                            + " delete " + rounds + " first");
                }
            }
        }
        return rounds;
    }

    static Map<String, Object> summary(ScenarioSpec scenario, Acceptance acceptance, ReplayReport report) {
        Map<String, Object> spec = new TreeMap<>();
        spec.put("honest", scenario.honest());
        spec.put("noisy", scenario.noisy());
        spec.put("copycats", scenario.copycats());
        spec.put("colluders", scenario.colluders());
        spec.put("lazy", scenario.lazy());
        spec.put("padders", scenario.padders());
        spec.put("openers", scenario.openers());
        spec.put("validators", scenario.validators());
        spec.put("rounds", scenario.rounds());
        spec.put("tempoRounds", scenario.tempoRounds());
        spec.put("seed", scenario.seed());
        Map<String, Object> verdict = new TreeMap<>();
        verdict.put("honestShare", report.summaryNumber(acceptance.honestShare()));
        verdict.put("cheaterShare", report.summaryNumber(acceptance.cheaterShare()));
        verdict.put("spearman", report.summaryNumber(acceptance.spearman()));
        verdict.put("passed", acceptance.passed());
        Map<String, Object> out = new TreeMap<>();
        out.put("scenario", spec);
        out.put("acceptance", verdict);
        out.put("replay", report.summary());
        return out;
    }

    private static String verdict(ScenarioSpec scenario, Acceptance a) {
        String spearman = Double.isNaN(a.spearman()) ? "n/a (every miner has the same true quality)"
                : String.format(Locale.ROOT, "%.3f (>= %.1f)", a.spearman(), Acceptance.MIN_SPEARMAN);
        // The newer classes are named only when present, so the verdict of a scenario without them reads as before.
        String cheaters = "copycats+colluders+lazy" + (scenario.padders() > 0 ? "+padders" : "")
                + (scenario.openers() > 0 ? "+openers" : "");
        return String.format(Locale.ROOT, "acceptance: honest %.1f%% (>= %.0f%%), %s %.1f%% (<= %.0f%%),"
                        + " Spearman %s: %s%n", 100 * a.honestShare(), 100 * Acceptance.MIN_HONEST_SHARE, cheaters,
                100 * a.cheaterShare(), 100 * Acceptance.MAX_CHEATER_SHARE, spearman, a.passed() ? "PASSED" : "FAILED");
    }

    /** The JVM is stopping: a file the run writes meanwhile is the OS's to clear, and a failure is not worth a trace. */
    private static void deleteLeftBehind(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException | UncheckedIOException stillBeingWritten) {
            // nothing more to do while the JVM stops
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
