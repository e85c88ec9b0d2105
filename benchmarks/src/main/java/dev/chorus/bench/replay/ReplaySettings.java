package dev.chorus.bench.replay;

import dev.chorus.config.ValidatorConfig;
import dev.chorus.scoring.book.ScoreBookOptions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How a replay turns rewards into emissions.
 *
 * @param tempoRounds       synthetic rounds per validator between two weight submissions, each followed by one Yuma
 *                          epoch; organic rounds do not count
 * @param yuma3             Yuma3 bonds (fixed alpha) instead of classic bonds
 * @param stakes            stake of each validator, in base units; its size is the number of validators
 * @param trust             where the trust handed to the scorer comes from
 * @param book              the score book's moving average, as the validator configures it
 * @param maxWeightLimit    the weight limit of the SDK's weight processing (1.0 = none)
 * @param minAllowedWeights the subnet's min_allowed_weights hyperparameter
 * @param organicWeight     how far an organic round (a consumer's query) moves the book relative to a synthetic one,
 *                          as the validator's {@code organic.score_weight}; 0 leaves the book alone
 * @param copierStake       stake of one more validator that scores nothing and copies the others' weights from the
 *                          chain (the weight-copying attack); 0 for none
 * @param revealEpochs      commit-reveal's reveal period in epochs: a weight row reaches the epoch that many epochs
 *                          after it was committed, and a copier can copy only revealed rows; 0 for commit-reveal off
 */
public record ReplaySettings(int tempoRounds, boolean yuma3, List<Long> stakes, Trust trust, ScoreBookOptions book,
                             double maxWeightLimit, int minAllowedWeights, double organicWeight, long copierStake,
                             int revealEpochs) {

    /** Where a replayed round's per-miner trust comes from. */
    public enum Trust {
        /** The replay's own score book, as a validator starting afresh would compute it. */
        BOOK,
        /** The trust the live validator logged, which reproduces its rewards even when it had restored a book. */
        LOGGED
    }

    public ReplaySettings {
        stakes = List.copyOf(stakes);
        List<String> problems = new ArrayList<>();
        if (tempoRounds < 1) problems.add("tempo is " + tempoRounds + " rounds: it must be at least 1");
        if (stakes.isEmpty()) problems.add("no validator: give at least one stake");
        if (stakes.stream().anyMatch(s -> s <= 0)) problems.add("stakes " + stakes + " must all be above 0");
        if (!(maxWeightLimit > 0 && maxWeightLimit <= 1)) problems.add("max weight limit " + maxWeightLimit + " must be in (0, 1]");
        if (minAllowedWeights < 0) problems.add("min allowed weights " + minAllowedWeights + " must be 0 or more");
        if (!(organicWeight >= 0 && organicWeight <= 1)) problems.add("organic score weight " + organicWeight + " must be in [0, 1]");
        if (copierStake < 0) problems.add("weight copier's stake " + copierStake + " must be above 0 (or 0 for no copier)");
        // subtensor bounds the reveal period to 1..100 epochs
        if (revealEpochs < 0 || revealEpochs > 100) problems.add("reveal period of " + revealEpochs + " epochs: give 1 to 100, or 0 for commit-reveal off");
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid replay settings: " + String.join("; ", problems));
        }
    }

    /** Equal stakes for {@code validators}, the validator's default book and weight limit, trust from the book. */
    public static ReplaySettings defaults(int validators, int tempoRounds, boolean yuma3) {
        ValidatorConfig config = ValidatorConfig.defaults();
        return new ReplaySettings(tempoRounds, yuma3, Collections.nCopies(validators, 1_000_000L), Trust.BOOK,
                ScoreBookOptions.from(config.scoring()), config.weights().maxWeightLimit(), 1, config.organic().scoreWeight(), 0, 0);
    }

    public ReplaySettings withTrust(Trust source) {
        return new ReplaySettings(tempoRounds, yuma3, stakes, source, book, maxWeightLimit, minAllowedWeights, organicWeight,
                copierStake, revealEpochs);
    }

    /**
     * The same settings with the score book a given validator configuration keeps, organic rounds' share included,
     * and the weight limit it submits with.
     */
    public ReplaySettings withBook(ValidatorConfig config) {
        return new ReplaySettings(tempoRounds, yuma3, stakes, trust, ScoreBookOptions.from(config.scoring()),
                config.weights().maxWeightLimit(), minAllowedWeights, config.organic().scoreWeight(), copierStake, revealEpochs);
    }

    public ReplaySettings withStakes(List<Long> validatorStakes) {
        return new ReplaySettings(tempoRounds, yuma3, validatorStakes, trust, book, maxWeightLimit, minAllowedWeights, organicWeight,
                copierStake, revealEpochs);
    }

    /** The same settings with a weight copier of {@code stake} (0: none) and a reveal period of {@code epochs} (0: off). */
    public ReplaySettings withWeightCopying(long stake, int epochs) {
        return new ReplaySettings(tempoRounds, yuma3, stakes, trust, book, maxWeightLimit, minAllowedWeights, organicWeight,
                stake, epochs);
    }

    public boolean hasCopier() {
        return copierStake > 0;
    }

    public int validators() {
        return stakes.size();
    }
}
