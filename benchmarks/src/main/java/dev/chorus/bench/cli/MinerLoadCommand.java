package dev.chorus.bench.cli;

import dev.chorus.bench.load.MinerLoad;
import dev.chorus.bench.load.MinerLoadReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code chorus-bench miner-load}: one miner-SDK server under concurrent signed requests. */
@Command(name = "miner-load", mixinStandardHelpOptions = true,
        description = "Load one miner-SDK server (trivial handler, every check on) with closed-loop clients sending"
                + " signed requests, at rising concurrency; report requests/s and p50/p99 per step and the highest"
                + " throughput whose p99 stayed under the limit.",
        footerHeading = "%nFiles with --out:%n",
        footer = "  miner-load.json (the summary)")
final class MinerLoadCommand implements Callable<Integer> {

    @Option(names = "--concurrency", split = ",", defaultValue = "1,2,4,8,16,32,64,128",
            description = "Clients in flight at each step (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--seconds", defaultValue = "10", description = "Length of each step (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--warmup-seconds", defaultValue = "5", description = "Unreported warm-up first (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--p99-limit-ms", defaultValue = "50", description = "Latency bound of the headline figure (default: ${DEFAULT-VALUE}).")
    double p99LimitMs;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        MinerLoad.Options options = new MinerLoad.Options(concurrency, seconds, warmupSeconds, p99LimitMs);
        output.prepareFolder();
        MinerLoadReport report = MinerLoad.run(options, LoadCommand.progress());
        output.emit(spec, report::write, report.summary(), report.table());
        return 0;
    }
}
