package dev.chorus.bench.replay;

import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The embeddings of one round for the baseline scorers, taken in one batch laid out as the validator's
 * {@code RoundScorer} lays it out (query, reference, answers), so a caching model serves both from the same entries.
 *
 * @param answers   one vector per answer of the round, null where the miner failed
 * @param reference the reference answer's vector, null when the round has none
 */
record RoundVectors(List<float[]> answers, float[] reference) {

    static RoundVectors of(EmbeddingModel model, Round round) {
        List<String> texts = new ArrayList<>();
        texts.add(round.query());
        if (round.referenceAnswer() != null) {
            texts.add(round.referenceAnswer());
        }
        round.answers().stream().filter(RoundAnswer::hasAnswer).forEach(a -> texts.add(a.text()));
        List<float[]> vectors = model.embed(texts);
        int next = round.referenceAnswer() != null ? 2 : 1;
        List<float[]> answers = new ArrayList<>(round.answers().size());
        for (RoundAnswer a : round.answers()) {
            answers.add(a.hasAnswer() ? vectors.get(next++) : null);
        }
        return new RoundVectors(answers, round.referenceAnswer() != null ? vectors.get(1) : null);
    }
}
