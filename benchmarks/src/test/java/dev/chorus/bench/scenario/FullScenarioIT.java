package dev.chorus.bench.scenario;

import dev.chorus.bench.metrics.Evaluation;
import dev.chorus.bench.metrics.MinerClass;
import dev.chorus.bench.replay.CachingEmbeddingModel;
import dev.chorus.bench.replay.RecordedRounds;
import dev.chorus.bench.replay.Replay;
import dev.chorus.bench.replay.ReplaySettings;
import dev.chorus.bench.replay.ScorerName;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.state.RoundRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The full default scenario (3 validators x 300 rounds x 22 miners) meets the acceptance thresholds. It
 * takes seconds (embeddings are cached by text), so it runs with every build.
 */
class FullScenarioIT {

    @Test
    void defaultScenarioMeetsTheAcceptanceThresholds(@TempDir Path dir) throws Exception {
        ScenarioSpec spec = ScenarioSpec.defaults();
        try (CachingEmbeddingModel model = new CachingEmbeddingModel(OnnxEmbeddingModel.open(EmbeddingOptions.defaults()))) {
            Scenario.Recorded recorded = Scenario.run(spec, model, dir);
            List<List<RoundRecord>> logs = new ArrayList<>();
            for (Path log : recorded.logs()) {
                logs.add(RecordedRounds.read(log).rounds());
            }
            ValidatorConfig config = ValidatorConfig.defaults();
            ScoringOptions options = ScoringOptions.from(config.scoring(), config.rounds().minerTimeout());
            ReplaySettings settings = ReplaySettings.defaults(spec.validators(), spec.tempoRounds(), false);
            Evaluation consensus = Evaluation.of(Replay.run(logs, ScorerName.CONSENSUS.create(model, options), settings),
                    recorded.truth());
            Acceptance acceptance = Acceptance.of(consensus);
            assertThat(acceptance.passed()).as("%s", acceptance).isTrue();
            assertThat(consensus.share(MinerClass.COPYCAT)).as("copies, in blocks with their original or not").isZero();
            Evaluation meanCosine = Evaluation.of(Replay.run(logs, ScorerName.MEAN_COSINE.create(model, options), settings),
                    recorded.truth());
            assertThat(consensus.share(MinerClass.COLLUDER)).isLessThan(meanCosine.share(MinerClass.COLLUDER) / 5);
        }
    }
}
