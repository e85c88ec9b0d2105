package dev.chorus.config;

import java.util.List;

/**
 * When and how the validator writes weights.
 *
 * @param versionKey     the weights version this validator speaks; the chain refuses it below the subnet's
 *                       weights_version_key
 * @param maxWeightLimit largest share one miner may get after normalize_max_weight; at or below 1/n for n uids
 *                       weighed, normalize_max_weight gives every one the same weight, whatever its score
 * @param dryRun         score and log, but never send a weights transaction
 */
public record WeightSettings(long versionKey, double maxWeightLimit, boolean dryRun) implements Settings {

    public static WeightSettings defaults() {
        return new WeightSettings(0, 1.0, false);
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        Checks.range(prefix + "version_key", versionKey, 0, Long.MAX_VALUE, problems);
        Checks.positiveFraction(prefix + "max_weight_limit", maxWeightLimit,
                "at 0 every miner would get the same weight, whatever its score", problems);
    }
}
