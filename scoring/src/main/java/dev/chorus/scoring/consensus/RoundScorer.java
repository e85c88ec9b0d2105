package dev.chorus.scoring.consensus;

import dev.chorus.scoring.embedding.EmbeddingModel;

import java.util.List;

/**
 * Scores rounds of texts with one embedding model, which embeds everything a round needs in one batched call
 * ({@link ConsensusScorer#score(Round, float[], java.util.function.Function)}) and also computes the answers' pairwise
 * products ({@link EmbeddingModel#dotProducts()}), on its own runtime and device. Blocking; call it from a worker
 * thread.
 */
public final class RoundScorer {

    private final EmbeddingModel model;
    private final ConsensusScorer scorer;
    private final float[] emptyText;

    public RoundScorer(EmbeddingModel model, ConsensusScorer scorer) {
        this.model = model;
        this.scorer = scorer.withDotProducts(model.dotProducts());
        this.emptyText = model.embed(List.of("")).get(0);
    }

    public RoundScores score(Round round) {
        return scorer.score(round, emptyText, model::embed);
    }
}
