package dev.chorus.config;

import java.util.List;

/**
 * How answers become rewards and rewards become the score book.
 *
 * @param movingAverageAlpha  weight of a new reward in a queried miner's moving average
 * @param absentDecay         per-round factor applied to a miner that was queried and did not answer usefully
 * @param duplicateThreshold  cosine at or above which two answers count as copies and share one reward
 * @param referenceWeight     share of the reward taken from similarity to the reference answer, when the query has one
 * @param latencyWeight       share of the reward taken from speed (0 ignores latency)
 */
public record ScoringSettings(double movingAverageAlpha, double absentDecay, double duplicateThreshold,
                              double referenceWeight, double latencyWeight) implements Settings {

    public static ScoringSettings defaults() {
        return new ScoringSettings(0.1, 0.98, 0.97, 0.3, 0.05);
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        Checks.range(prefix + "moving_average_alpha", movingAverageAlpha, 0.0, 1.0, problems);
        Checks.range(prefix + "absent_decay", absentDecay, 0.0, 1.0, problems);
        Checks.range(prefix + "duplicate_threshold", duplicateThreshold, 0.5, 1.0, problems);
        Checks.range(prefix + "reference_weight", referenceWeight, 0.0, 1.0, problems);
        Checks.range(prefix + "latency_weight", latencyWeight, 0.0, 1.0, problems);
    }
}
