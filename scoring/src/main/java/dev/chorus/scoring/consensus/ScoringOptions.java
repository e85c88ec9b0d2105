package dev.chorus.scoring.consensus;

import dev.chorus.config.RoundSettings;
import dev.chorus.config.ScoringSettings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tunables of {@link ConsensusScorer}, typed. Operators set them through the config module's
 * {@link ScoringSettings}; {@link #from} converts, and {@link #defaults()} are the config defaults.
 *
 * @param duplicateCosine   answers whose embeddings have at least this cosine are treated as one answer
 * @param duplicateReward   how a duplicate group's single reward is divided among its members
 * @param minCopyWords      an answer that opens with another miner's whole answer of at least this many words,
 *                          given no later than it, is judged only on what it adds after it (shorter answers are
 *                          too likely to be common phrases to count as copied)
 * @param minQuotedQueryWords an answer that contains the whole query, when the query has at least this many words,
 *                          is judged without it (shorter queries are too likely to be the answer's own words)
 * @param blockSize         a duplicate group of k at least this large is a colluding block: under
 *                          {@code FIRST_ANSWER} its first member gets a k-th of the reward and the rest nothing
 * @param trustFloor        added to every miner's trust when weighting the consensus, so miners without trust
 *                          yet still count a little and a round of all-new miners is weighted evenly
 * @param referenceWeight   share of the reward taken from similarity to the reference answer, when there is one
 * @param latencyWeight     share of the reward that depends on speed: an instant answer keeps it all, one at
 *                          {@code latencyBudget} or later loses this share
 * @param latencyBudget     the latency at which the whole latency share is lost (the miner timeout)
 */
public record ScoringOptions(
        double duplicateCosine,
        DuplicateReward duplicateReward,
        int minCopyWords,
        int minQuotedQueryWords,
        int blockSize,
        double trustFloor,
        double referenceWeight,
        double latencyWeight,
        Duration latencyBudget) {

    /**
     * How a duplicate group of k members is paid, given the reward R its answer earns. Either way the group earns at
     * most R together, so spreading one answer over several uids never pays.
     */
    public enum DuplicateReward {
        /**
         * The member that answered first gets R (exact ties split it), later ones nothing: a slower copier earns 0
         * and takes nothing from the original. In a block ({@link ScoringOptions#blockSize()} members or more) the first gets
         * R / k, as if it had shared its answer.
         */
        FIRST_ANSWER,
        /** Every member gets R / k. */
        SHARED
    }

    public static ScoringOptions defaults() {
        return from(ScoringSettings.defaults(), RoundSettings.defaults().minerTimeout());
    }

    /** Converts validated settings; {@code latencyBudget} is normally the rounds' miner timeout. */
    public static ScoringOptions from(ScoringSettings s, Duration latencyBudget) {
        return new ScoringOptions(s.duplicateThreshold(),
                DuplicateReward.valueOf(s.duplicateReward().toUpperCase(Locale.ROOT)), s.minCopyWords(),
                s.minQuotedQueryWords(), s.blockSize(), s.trustFloor(), s.referenceWeight(), s.latencyWeight(), latencyBudget);
    }

    public ScoringOptions withDuplicateReward(DuplicateReward mode) {
        return new ScoringOptions(duplicateCosine, mode, minCopyWords, minQuotedQueryWords, blockSize, trustFloor,
                referenceWeight, latencyWeight, latencyBudget);
    }

    public ScoringOptions withLatencyWeight(double weight) {
        return new ScoringOptions(duplicateCosine, duplicateReward, minCopyWords, minQuotedQueryWords, blockSize,
                trustFloor, referenceWeight, weight, latencyBudget);
    }

    /** Every problem with these options, each a sentence saying how to fix it; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!(duplicateCosine > 0 && duplicateCosine <= 1)) {
            problems.add("duplicate cosine is " + duplicateCosine + ": it must be in (0, 1]; 0.97 catches light edits only");
        }
        if (duplicateReward == null) problems.add("duplicate reward mode is missing: use FIRST_ANSWER or SHARED");
        if (minCopyWords < 1) problems.add("min copy words is " + minCopyWords + ": it must be at least 1");
        if (minQuotedQueryWords < 1) {
            problems.add("min quoted query words is " + minQuotedQueryWords + ": it must be at least 1 (3 is the default)");
        }
        if (blockSize < 2) problems.add("block size is " + blockSize + ": it must be at least 2 (3 is the default)");
        if (!(trustFloor > 0)) problems.add("trust floor is " + trustFloor + ": it must be above 0 (0.05 is the default)");
        if (!(referenceWeight >= 0 && referenceWeight <= 1)) {
            problems.add("reference weight is " + referenceWeight + ": it must be in [0, 1]");
        }
        if (!(latencyWeight >= 0 && latencyWeight <= 1)) {
            problems.add("latency weight is " + latencyWeight + ": it must be in [0, 1]; keep it small, e.g. 0.1");
        }
        if (latencyBudget == null || latencyBudget.isZero() || latencyBudget.isNegative()) {
            problems.add("latency budget is " + (latencyBudget == null ? "missing" : latencyBudget.toMillis() + " ms")
                    + ": it must be a positive duration, e.g. the query timeout");
        }
        return problems;
    }

    public ScoringOptions validate() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid scoring options: " + String.join("; ", problems));
        }
        return this;
    }
}
