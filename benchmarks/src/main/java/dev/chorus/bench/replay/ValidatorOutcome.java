package dev.chorus.bench.replay;

/**
 * What one validator of a replay earned.
 *
 * @param uid           its uid in the replay's subnet
 * @param copier        whether it is the weight copier rather than a validator replaying a log
 * @param stake         its stake, in base units
 * @param dividendShare its share of all validator emission over all epochs
 * @param relativeYield its dividends per unit of stake over the replaying validators' (stake-weighted) dividends per
 *                      unit of stake: 1 earns as they do, below 1 less
 */
public record ValidatorOutcome(int uid, boolean copier, long stake, double dividendShare, double relativeYield) {
}
