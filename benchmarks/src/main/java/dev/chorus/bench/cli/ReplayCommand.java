package dev.chorus.bench.cli;

import dev.chorus.bench.replay.CachingEmbeddingModel;
import dev.chorus.bench.replay.Replay;
import dev.chorus.bench.replay.ReplayResult;
import dev.chorus.bench.replay.ScorerName;
import dev.chorus.bench.report.ReplayReport;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code chorus-bench replay}: re-scores a validator's round log and runs Yuma over the resulting weights. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-score recorded rounds with a scorer, keep score books, set weights every tempo, run the Java"
                + " Yuma epoch, and report per miner: mean reward, final score, weight, consensus, incentive, emission share.",
        footerHeading = "%nFiles with --out (their fields: benchmarks/README.md):%n",
        footer = "  " + ReplayCommand.FILES)
final class ReplayCommand implements Callable<Integer> {

    /** What a replay writes under --out; scenario and compare write the same for theirs. */
    static final String FILES = "miners.csv, emission-by-epoch.csv, summary.json, emission-share.png,"
            + " reward-distribution.png, weight-heatmap.png";

    @Mixin
    RoundsOptions input;

    @Option(names = "--scorer", defaultValue = "consensus", paramLabel = "NAME",
            description = "consensus, mean-cosine or reference (default: ${DEFAULT-VALUE}).")
    String scorer;

    @Mixin
    ReplayOptions replay;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ScorerName name = ScorerName.parse(scorer);
        RoundsOptions.Prepared in = input.prepare(replay, spec.commandLine().getErr());
        ValidatorConfig settings = replay.validatorConfig();
        output.prepareFolder();
        try (CachingEmbeddingModel model = BenchCommand.openModel(EmbeddingOptions.from(settings.embedding()))) {
            ReplayResult result = Replay.run(in.logs(), name.create(model, ReplayOptions.scoringOptions(settings)),
                    in.settings().withBook(settings));
            ReplayReport report = ReplayReport.of(result, in.truth());
            output.emit(spec, dir -> report.write(dir, ""), report.summary(), report.table());
        }
        return 0;
    }
}
