package dev.chorus.scoring.consensus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A round with its embeddings already computed, so that scoring is a pure function of vectors and texts.
 * All vectors are unit-length and of one dimension.
 *
 * @param round      the texts
 * @param answers    one embedding per entry of {@code round.answers()}, null where the miner failed
 * @param emptyText  the embedding of the empty string: the calibration baseline that scores 0
 * @param query      the embedding of the query, used to catch answers that only echo it
 * @param reference  the embedding of the reference answer, or null when the round has none
 * @param additions  the embedding of each text {@link ConsensusScorer#additionsToEmbed} lists for this round, by text:
 *                   what an answer adds after other miners' whole answers it opens with
 */
public record EmbeddedRound(Round round, List<float[]> answers, float[] emptyText, float[] query, float[] reference,
                            Map<String, float[]> additions) {

    public EmbeddedRound {
        Objects.requireNonNull(round, "round");
        Objects.requireNonNull(emptyText, "emptyText");
        Objects.requireNonNull(query, "query");
        if (answers.size() != round.answers().size()) {
            throw new IllegalArgumentException("Got " + answers.size() + " embeddings for " + round.answers().size()
                    + " answers; give one per answer (null for a failed miner)");
        }
        if ((reference == null) != (round.referenceAnswer() == null)) {
            throw new IllegalArgumentException("The reference embedding must be given exactly when the round has a reference answer");
        }
        int dim = emptyText.length;
        for (int i = 0; i < answers.size(); i++) {
            float[] v = answers.get(i);
            boolean answered = round.answers().get(i).hasAnswer();
            if (answered && (v == null || v.length != dim)) {
                throw new IllegalArgumentException("uid " + round.answers().get(i).uid() + " answered but its embedding is "
                        + (v == null ? "missing" : "of dimension " + v.length + " instead of " + dim));
            }
        }
        if (query.length != dim || (reference != null && reference.length != dim)) {
            throw new IllegalArgumentException("Query and reference embeddings must have dimension " + dim);
        }
        additions.forEach((text, v) -> {
            if (v == null || v.length != dim) {
                throw new IllegalArgumentException("The embedding of the addition \"" + text + "\" must have dimension "
                        + dim);
            }
        });
        answers = Collections.unmodifiableList(new ArrayList<>(answers));
        additions = Map.copyOf(additions);
    }

    /** A round in which no answer opens with another's whole answer, so nothing but the answers needs embedding. */
    public EmbeddedRound(Round round, List<float[]> answers, float[] emptyText, float[] query, float[] reference) {
        this(round, answers, emptyText, query, reference, Map.of());
    }
}
