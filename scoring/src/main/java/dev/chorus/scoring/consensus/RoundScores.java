package dev.chorus.scoring.consensus;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of scoring one round.
 *
 * @param scores             one entry per answer of the round, in the round's order
 * @param consensus          the unit consensus vector, null when no miner gave a usable answer
 * @param baselineSimilarity cosine between the empty answer and the consensus (the calibration zero point)
 * @param iterations         Weiszfeld iterations spent finding the consensus
 */
public record RoundScores(List<MinerScore> scores, float[] consensus, double baselineSimilarity, int iterations) {

    public RoundScores {
        scores = List.copyOf(scores);
    }

    public Optional<MinerScore> forUid(int uid) {
        return scores.stream().filter(s -> s.uid() == uid).findFirst();
    }
}
