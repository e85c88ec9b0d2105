package dev.chorus.bench.cli;

import dev.chorus.bench.scoring.ComparedEngine;
import dev.chorus.bench.scoring.EmbeddingSpeedComparison;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chorus-bench embedding}: our embedding engine against langchain4j's, in one JVM, taking turns. */
@Command(name = "embedding", mixinStandardHelpOptions = true,
        description = {"Sentences per second of embedding engines on the same answers of 10 to 300 tokens, all in this"
                + " JVM, taking turns round after round; each engine's speed-up over the baseline is taken within each"
                + " round (the median over rounds, with the smallest and largest).",
                "Engines: chorus-fp32 and chorus-int8 (ours, validator defaults), chorus-fp32-cut128 (ours, cut at 128"
                        + " tokens as langchain4j cuts), langchain4j-fp32 and langchain4j-int8."},
        footerHeading = "%nFiles with --out:%n",
        footer = "  embedding-speed.json (the summary)")
final class EmbeddingCommand implements Callable<Integer> {

    @Option(names = "--engines", paramLabel = "A,B", split = ",",
            defaultValue = "chorus-fp32,chorus-int8,chorus-fp32-cut128,langchain4j-fp32,langchain4j-int8",
            description = "Engines to compare (default: all).")
    List<String> engines;

    @Option(names = "--baseline", defaultValue = "langchain4j-fp32", paramLabel = "ENGINE",
            description = "The engine the speed-ups are measured against, added when --engines leaves it out"
                    + " (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(names = "--answers", defaultValue = "1000", paramLabel = "N",
            description = "Answers embedded per round by each engine (default: ${DEFAULT-VALUE}).")
    int answers;

    @Option(names = "--rounds", defaultValue = "5", paramLabel = "N",
            description = "Timed rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "N",
            description = "Untimed rounds first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<ComparedEngine> compared = engines.stream().map(ComparedEngine::byId).toList();
        ComparedEngine baselineEngine = ComparedEngine.byId(baseline);
        output.prepareFolder();
        EmbeddingSpeedComparison.Result result = EmbeddingSpeedComparison.run(compared, baselineEngine,
                answers, warmup, rounds, spec.commandLine().getErr());
        output.emit(spec, result::write, result.summary(), result.table());
        return 0;
    }
}
