package dev.chorus.scoring.consensus;

import dev.chorus.scoring.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores a round of texts: embeds the query, the reference and every answer in one batched call, then hands the
 * vectors to the {@link ConsensusScorer}. Blocking; call it from a worker thread.
 */
public final class RoundScorer {

    private final EmbeddingModel model;
    private final ConsensusScorer scorer;
    private final float[] emptyText;

    public RoundScorer(EmbeddingModel model, ConsensusScorer scorer) {
        this.model = model;
        this.scorer = scorer;
        this.emptyText = model.embed(List.of("")).get(0);
    }

    public RoundScores score(Round round) {
        List<String> texts = new ArrayList<>(round.answers().size() + 2);
        texts.add(round.query());
        boolean hasReference = round.referenceAnswer() != null;
        if (hasReference) {
            texts.add(round.referenceAnswer());
        }
        int firstAnswer = texts.size();
        for (RoundAnswer answer : round.answers()) {
            if (answer.hasAnswer()) {
                texts.add(answer.text());
            }
        }
        List<float[]> vectors = model.embed(texts);
        List<float[]> answers = new ArrayList<>(round.answers().size());
        int next = firstAnswer;
        for (RoundAnswer answer : round.answers()) {
            answers.add(answer.hasAnswer() ? vectors.get(next++) : null);
        }
        return scorer.score(new EmbeddedRound(round, answers, emptyText, vectors.get(0),
                hasReference ? vectors.get(1) : null));
    }
}
