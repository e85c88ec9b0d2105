package dev.chorus.scoring.consensus;

import dev.chorus.scoring.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a round of texts: embeds the query, the reference, every answer and what answers add after
 * others' answers they open with ({@link ConsensusScorer#additionsToEmbed}) in one batched call, then hands the
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
        int firstAddition = texts.size();
        List<String> additionTexts = scorer.additionsToEmbed(round);
        texts.addAll(additionTexts);
        List<float[]> vectors = model.embed(texts);
        List<float[]> answers = new ArrayList<>(round.answers().size());
        int next = firstAnswer;
        for (RoundAnswer answer : round.answers()) {
            answers.add(answer.hasAnswer() ? vectors.get(next++) : null);
        }
        Map<String, float[]> additions = new HashMap<>();
        for (int k = 0; k < additionTexts.size(); k++) {
            additions.put(additionTexts.get(k), vectors.get(firstAddition + k));
        }
        return scorer.score(new EmbeddedRound(round, answers, emptyText, vectors.get(0),
                hasReference ? vectors.get(1) : null, additions));
    }
}
