package dev.chorus.validator;

import dev.chorus.config.EmbeddingSettings;
import dev.chorus.config.RoundSettings;
import dev.chorus.config.ScoringSettings;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.ExecutionProvider;
import dev.chorus.scoring.embedding.LongTextMode;
import dev.chorus.scoring.embedding.ModelVariant;

/** Maps the config module's settings onto the scoring library's own option records. */
public final class ScoringFactory {

    private ScoringFactory() {
    }

    public static EmbeddingOptions embeddingOptions(EmbeddingSettings settings) {
        return EmbeddingOptions.defaults()
                .withVariant(settings.model().equals("int8") ? ModelVariant.INT8 : ModelVariant.FP32)
                .withMaxTokens(settings.maxTokens())
                .withLongText(settings.longText().equals("truncate") ? LongTextMode.TRUNCATE : LongTextMode.CHUNK)
                .withBatchSize(settings.batchSize())
                .withIntraOpThreads(settings.intraOpThreads())
                .withProvider(settings.provider().equals("cuda") ? ExecutionProvider.CUDA : ExecutionProvider.CPU, 0);
    }

    public static ScoringOptions scoringOptions(ScoringSettings scoring, RoundSettings rounds) {
        ScoringOptions defaults = ScoringOptions.defaults();
        return new ScoringOptions(scoring.duplicateThreshold(), defaults.duplicateReward(), defaults.minCopyWords(),
                defaults.trustFloor(), scoring.referenceWeight(), scoring.latencyWeight(), rounds.minerTimeout(),
                defaults.maxIterations(), defaults.tolerance());
    }
}
