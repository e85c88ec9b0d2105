package dev.chorus.scoring.consensus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Tunables of {@link ConsensusScorer}. Stands in for the scoring section of the config module until it lands.
 *
 * @param duplicateCosine   answers whose embeddings have at least this cosine are treated as one answer
 * @param duplicateReward   how a duplicate group's single reward is divided among its members
 * @param minCopyWords      an answer that opens with another miner's whole answer of at least this many words,
 *                          and only adds to it, is a padded copy
 * @param trustFloor        added to every miner's trust when weighting the consensus, so miners without trust
 *                          yet still count a little and a round of all-new miners is weighted evenly
 * @param referenceWeight   share of the reward taken from similarity to the reference answer, when there is one
 * @param latencyWeight     share of the reward that depends on speed: an instant answer keeps it all, one at
 *                          {@code latencyBudget} or later loses this share
 * @param latencyBudget     the latency at which the whole latency share is lost (normally the query timeout)
 * @param maxIterations     cap on Weiszfeld iterations for the geometric median
 * @param tolerance         Weiszfeld stops when no weight moves by more than this
 */
public record ScoringOptions(
        double duplicateCosine,
        DuplicateReward duplicateReward,
        int minCopyWords,
        double trustFloor,
        double referenceWeight,
        double latencyWeight,
        Duration latencyBudget,
        int maxIterations,
        double tolerance) {

    /**
     * How a duplicate group of k members is paid, given the reward R its answer earns. Either way no member gets
     * more than R / k, so spreading one answer over several uids never pays.
     */
    public enum DuplicateReward {
        /** The member(s) that answered first get R / k each, later ones nothing: a copier that is slower earns 0. */
        FIRST_ANSWER,
        /** Every member gets R / k. */
        SHARED
    }

    public static ScoringOptions defaults() {
        return new ScoringOptions(0.97, DuplicateReward.FIRST_ANSWER, 8, 0.05, 0.5, 0.1, Duration.ofSeconds(12),
                100, 1e-7);
    }

    public ScoringOptions withDuplicateReward(DuplicateReward mode) {
        return new ScoringOptions(duplicateCosine, mode, minCopyWords, trustFloor, referenceWeight, latencyWeight,
                latencyBudget, maxIterations, tolerance);
    }

    public ScoringOptions withLatencyWeight(double weight) {
        return new ScoringOptions(duplicateCosine, duplicateReward, minCopyWords, trustFloor, referenceWeight, weight,
                latencyBudget, maxIterations, tolerance);
    }

    public ScoringOptions withReferenceWeight(double weight) {
        return new ScoringOptions(duplicateCosine, duplicateReward, minCopyWords, trustFloor, weight, latencyWeight,
                latencyBudget, maxIterations, tolerance);
    }

    /** Every problem with these options, each a sentence saying how to fix it; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!(duplicateCosine > 0 && duplicateCosine <= 1)) {
            problems.add("duplicate cosine is " + duplicateCosine + ": it must be in (0, 1]; 0.97 catches light edits only");
        }
        if (duplicateReward == null) problems.add("duplicate reward mode is missing: use FIRST_ANSWER or SHARED");
        if (minCopyWords < 1) problems.add("min copy words is " + minCopyWords + ": it must be at least 1");
        if (!(trustFloor > 0)) problems.add("trust floor is " + trustFloor + ": it must be above 0 (0.05 is the default)");
        if (!(referenceWeight >= 0 && referenceWeight <= 1)) {
            problems.add("reference weight is " + referenceWeight + ": it must be in [0, 1]");
        }
        if (!(latencyWeight >= 0 && latencyWeight <= 1)) {
            problems.add("latency weight is " + latencyWeight + ": it must be in [0, 1]; keep it small, e.g. 0.1");
        }
        if (latencyBudget == null || latencyBudget.isZero() || latencyBudget.isNegative()) {
            problems.add("latency budget is " + latencyBudget + ": it must be a positive duration, e.g. the query timeout");
        }
        if (maxIterations < 1) problems.add("max iterations is " + maxIterations + ": it must be at least 1");
        if (!(tolerance > 0)) problems.add("tolerance is " + tolerance + ": it must be above 0");
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
