package dev.chorus.bench.cli;

import dev.chorus.bench.replay.CachingEmbeddingModel;
import dev.chorus.bench.replay.Replay;
import dev.chorus.bench.replay.ReplayResult;
import dev.chorus.bench.replay.ScorerName;
import dev.chorus.bench.report.ReplayReport;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.scoring.consensus.ScoringOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code chorus-bench replay}: re-scores a validator's round log and runs Yuma over the resulting weights. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-score recorded rounds with a scorer, keep score books, set weights every tempo, run the Java"
                + " Yuma epoch, and report per miner: mean reward, final score, weight, consensus, incentive, emission share.")
final class ReplayCommand implements Callable<Integer> {

    @Mixin
    RoundsOptions input;

    @Option(names = "--scorer", defaultValue = "consensus", paramLabel = "NAME",
            description = "consensus, mean-cosine or reference (default: ${DEFAULT-VALUE}).")
    String scorer;

    @Mixin
    ReplayOptions replay;

    @Mixin
    OutputOptions output;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The live validator's settings file (YAML/JSON): its scoring and score-book settings are used,"
                    + " so its rewards are reproduced exactly (default: a fresh validator's defaults).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ScorerName name = ScorerName.parse(scorer);
        RoundsOptions.Prepared in = input.prepare(replay, spec.commandLine().getErr());
        try (CachingEmbeddingModel model = BenchCommand.openModel()) {
            ValidatorConfig settings = validatorConfig(config);
            ReplayResult result = Replay.run(in.logs(), name.create(model, scoringOptions(settings)),
                    in.settings().withBook(settings));
            ReplayReport report = ReplayReport.of(result, in.truth());
            output.emit(spec, dir -> report.write(dir, ""), report.summary(), report.table());
        }
        return 0;
    }

    /** The validator's scoring options with the default config, as a fresh validator runs them. */
    static ScoringOptions scoringOptions() {
        return scoringOptions(ValidatorConfig.defaults());
    }

    static ScoringOptions scoringOptions(ValidatorConfig config) {
        return ScoringOptions.from(config.scoring(), config.rounds().minerTimeout());
    }

    /** The settings a validator ran with, read the way the validator reads them, or the defaults. */
    static ValidatorConfig validatorConfig(Path file) {
        return file == null ? ValidatorConfig.defaults()
                : ConfigLoader.load(ValidatorConfig.defaults(), Optional.of(file), Map.of(), Map.of());
    }
}
