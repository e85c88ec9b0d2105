package dev.chorus.bench.cli;

import dev.chorus.bench.load.ValidatorLoad;
import dev.chorus.bench.load.ValidatorLoadReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code chorus-bench load}: one validator against hundreds of miners on loopback, rounds back to back. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Run one real validator against N miner-SDK servers on loopback (in a child process) with a seeded"
                + " latency distribution and failures, and report the round overhead beyond the slowest answering"
                + " miner, validator CPU per round, and heap and open files every N rounds.",
        footerHeading = "%nFiles with --out:%n",
        footer = "  load.json (the summary), rounds.csv (one line a measured round)")
final class LoadCommand implements Callable<Integer> {

    @Option(names = "--miners", defaultValue = "256", description = "Miners (default: ${DEFAULT-VALUE}).")
    int miners;

    @Option(names = "--rounds", defaultValue = "1000", description = "Measured rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "20", description = "Rounds run first and not measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--checkpoint-every", defaultValue = "100", paramLabel = "ROUNDS",
            description = "Rounds between heap and open-file readings (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--failure-rate", defaultValue = "0.02",
            description = "Share of queries that fail: refused connections, HTTP 500 and timeouts (default: ${DEFAULT-VALUE}).")
    double failureRate;

    @Option(names = "--latency-median-ms", defaultValue = "40", description = "Median miner latency (default: ${DEFAULT-VALUE}).")
    double medianMs;

    @Option(names = "--latency-sigma", defaultValue = "0.87",
            description = "Log-normal shape of the miner latency; 0.87 puts p99 near 7.5 x the median (default: ${DEFAULT-VALUE}).")
    double sigma;

    @Option(names = "--latency-cap-ms", defaultValue = "800", description = "Longest miner latency drawn (default: ${DEFAULT-VALUE}).")
    long capMs;

    @Option(names = "--miner-timeout-ms", defaultValue = "1000", description = "The validator's per-miner deadline (default: ${DEFAULT-VALUE}).")
    long minerTimeoutMs;

    @Option(names = "--unique-answers",
            description = "Every answer is a new text, so every round embeds all answers (default: answers repeat and their embeddings are cached).")
    boolean uniqueAnswers;

    @Option(names = "--questions", defaultValue = "16", description = "Distinct questions asked (default: ${DEFAULT-VALUE}).")
    int questions;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the latency and failure script (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ValidatorLoad.Options options = new ValidatorLoad.Options(miners, rounds, warmup, seed, failureRate, medianMs,
                sigma, capMs, Duration.ofMillis(minerTimeoutMs), uniqueAnswers, questions, checkpointEvery);
        output.prepareFolder();
        ValidatorLoadReport report = ValidatorLoad.run(options, progress());
        output.emit(spec, report::write, report.summary(), report.table());
        return report.completedRounds() == rounds ? 0 : 1;
    }

    /** Progress lines go to stderr, so stdout stays a table or JSON. */
    static PrintStream progress() {
        return System.err;
    }
}
