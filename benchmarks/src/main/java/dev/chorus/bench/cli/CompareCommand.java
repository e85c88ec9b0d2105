package dev.chorus.bench.cli;

import dev.chorus.bench.metrics.MinerTruth;
import dev.chorus.bench.replay.CachingEmbeddingModel;
import dev.chorus.bench.replay.Replay;
import dev.chorus.bench.replay.ReplaySettings;
import dev.chorus.bench.replay.ScorerName;
import dev.chorus.bench.report.Comparison;
import dev.chorus.bench.report.ReplayReport;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.validator.state.RoundRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chorus-bench compare}: the same recorded rounds through several scorers, ranked. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Replay the same rounds through several scorers and rank them by Spearman(true quality, emission),"
                + " then by the emission share of the cheating classes (copycats, colluders, lazy miners, padders, openers).",
        footerHeading = "%nFiles with --out (their fields: benchmarks/README.md):%n",
        footer = {"  comparison.json, comparison.png,",
                "  <scorer>/ for each scorer: " + ReplayCommand.FILES})
final class CompareCommand implements Callable<Integer> {

    @Mixin
    RoundsOptions input;

    @Option(names = "--scorers", defaultValue = "consensus,mean-cosine,reference", paramLabel = "A,B,C",
            description = "Scorers to compare (default: ${DEFAULT-VALUE}).")
    String scorers;

    @Mixin
    ReplayOptions replay;

    @Mixin
    OutputOptions output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<ScorerName> names = ScorerName.parseList(scorers);
        RoundsOptions.Prepared in = input.prepare(replay, spec.commandLine().getErr());
        ValidatorConfig settings = replay.validatorConfig();
        output.prepareFolder();
        try (CachingEmbeddingModel model = BenchCommand.openModel(EmbeddingOptions.from(settings.embedding()))) {
            Comparison comparison = compare(in.logs(), names, model, ReplayOptions.scoringOptions(settings),
                    in.settings().withBook(settings), in.truth());
            output.emit(spec, comparison::write, comparison.summary(), comparison.table());
        }
        return 0;
    }

    static Comparison compare(List<List<RoundRecord>> logs, List<ScorerName> names, CachingEmbeddingModel model,
                              ScoringOptions scoring, ReplaySettings settings, Map<Integer, MinerTruth> truth) {
        List<ReplayReport> reports = new ArrayList<>();
        for (ScorerName name : names) {
            reports.add(ReplayReport.of(Replay.run(logs, name.create(model, scoring), settings), truth));
        }
        return new Comparison(reports);
    }
}
