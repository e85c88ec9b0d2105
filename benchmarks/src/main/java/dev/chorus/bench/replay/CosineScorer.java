package dev.chorus.bench.replay;

import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Penalty;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.consensus.RoundScores;
import dev.chorus.scoring.embedding.CosineSimilarity;
import dev.chorus.scoring.embedding.EmbeddingModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The research baselines: each answer earns its plain cosine to one target vector, clipped to [0, 1], with no
 * calibration, no duplicate or copy detection and no latency factor.
 * <ul>
 *   <li>{@code mean-cosine}: the target is the mean of every answer's embedding, so a block of identical answers
 *   pulls it toward itself and is paid in full;</li>
 *   <li>{@code reference}: the target is the query's reference answer, which collusion cannot move but which pays
 *   copies in full and cannot judge a round without a reference (an organic one).</li>
 * </ul>
 */
final class CosineScorer implements BenchScorer {

    private final EmbeddingModel model;
    private final ScorerName target;

    CosineScorer(EmbeddingModel model, ScorerName target) {
        if (target == ScorerName.CONSENSUS) {
            throw new IllegalArgumentException("The consensus scorer is not a plain cosine baseline");
        }
        this.model = model;
        this.target = target;
    }

    @Override
    public String name() {
        return target.cliName();
    }

    /** The reference scorer has nothing to aim at in a round without a reference answer, as every organic round is. */
    @Override
    public boolean canJudge(Round round) {
        return target != ScorerName.REFERENCE || round.referenceAnswer() != null;
    }

    @Override
    public RoundScores score(Round round) {
        if (!canJudge(round)) {
            throw new IllegalArgumentException("The reference scorer cannot judge the round asking '" + round.query()
                    + "': it has no reference answer; ask canJudge first");
        }
        RoundVectors vectors = RoundVectors.of(model, round);
        float[] toward = target == ScorerName.REFERENCE ? vectors.reference() : mean(vectors.answers());
        List<MinerScore> scores = new ArrayList<>(round.answers().size());
        for (int i = 0; i < round.answers().size(); i++) {
            RoundAnswer answer = round.answers().get(i);
            float[] v = vectors.answers().get(i);
            if (v == null) {
                scores.add(new MinerScore(answer.uid(), 0, Double.NaN, Double.NaN, Double.NaN, 1, -1, Set.of(Penalty.NO_ANSWER)));
                continue;
            }
            double similarity = CosineSimilarity.between(v, toward);
            double reward = Math.max(0, Math.min(1, similarity));
            double toReference = target == ScorerName.REFERENCE ? similarity : Double.NaN;
            scores.add(new MinerScore(answer.uid(), reward, similarity, reward, toReference, 1, -1, Set.of()));
        }
        return new RoundScores(scores, toward, Double.NaN, 0);
    }

    private static float[] mean(List<float[]> answers) {
        float[] mean = null;
        for (float[] v : answers) {
            if (v == null) {
                continue;
            }
            if (mean == null) {
                mean = new float[v.length];
            }
            for (int d = 0; d < v.length; d++) {
                mean[d] += v[d];
            }
        }
        return mean == null ? new float[0] : mean;
    }
}
