package dev.chorus.config;

import java.util.List;

/**
 * How answers become rewards and rewards become the score book.
 *
 * @param movingAverageAlpha  weight of a new reward in a queried miner's moving average
 * @param absentDecay         per-round factor applied to a miner that was queried and did not answer (failed or timed
 *                            out); an empty or echoed answer is an answer, worth 0, and moves the score by the alpha
 * @param duplicateThreshold  cosine at or above which two answers count as copies and share one reward
 * @param referenceWeight     share of the reward taken from similarity to the reference answer, when the query has one
 * @param latencyWeight       share of the reward taken from speed (0 ignores latency)
 * @param duplicateReward     who gets a duplicate group's reward: {@code first_answer} (the earliest member, only
 *                            1/k of it in a block: see {@code blockSize}) or {@code shared} (every member gets 1/k);
 *                            either way the group is paid at most once
 * @param minCopyWords        an answer that opens with another's whole answer of at least this many words, given no
 *                            later than it, is judged only on what it adds after it, and earns nothing if that is
 *                            nothing of its own
 * @param minQuotedQueryWords an answer that contains the whole query, when the query has at least this many words, is
 *                            judged without it (the words were given, not answered), and earns nothing if that leaves
 *                            nothing but the query
 * @param trustFloor          added to each miner's trust when weighting the consensus, so new miners count a little
 * @param blockSize           a duplicate group of k this large is a colluding block, not an original and its copies:
 *                            with {@code first_answer} its first member earns a k-th of the reward, the others
 *                            nothing ({@code shared} pays every member a k-th of every group anyway)
 */
public record ScoringSettings(double movingAverageAlpha, double absentDecay, double duplicateThreshold,
                              double referenceWeight, double latencyWeight, String duplicateReward, int minCopyWords,
                              int minQuotedQueryWords, double trustFloor, int blockSize) implements Settings {

    public static ScoringSettings defaults() {
        return new ScoringSettings(0.1, 0.98, 0.97, 0.3, 0.05, "first_answer", 8, 3, 0.05, 3);
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        Checks.positiveFraction(prefix + "moving_average_alpha", movingAverageAlpha,
                "at 0 no round would ever move a score", problems);
        Checks.range(prefix + "absent_decay", absentDecay, 0.0, 1.0, problems);
        Checks.range(prefix + "duplicate_threshold", duplicateThreshold, 0.5, 1.0, problems);
        Checks.range(prefix + "reference_weight", referenceWeight, 0.0, 1.0, problems);
        Checks.range(prefix + "latency_weight", latencyWeight, 0.0, 1.0, problems);
        Checks.oneOf(prefix + "duplicate_reward", duplicateReward, List.of("first_answer", "shared"), problems);
        Checks.range(prefix + "min_copy_words", minCopyWords, 1, 10_000, problems);
        Checks.range(prefix + "min_quoted_query_words", minQuotedQueryWords, 1, 10_000, problems);
        Checks.range(prefix + "trust_floor", trustFloor, 0.001, 1.0, problems);
        Checks.range(prefix + "block_size", blockSize, 2, 1_000_000, problems);
    }
}
