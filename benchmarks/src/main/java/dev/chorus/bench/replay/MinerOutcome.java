package dev.chorus.bench.replay;

/**
 * What one miner ended a replay with. Shares and terms are fractions in [0, 1].
 *
 * @param uid           the miner's uid in the log
 * @param hotkey        its last hotkey in the log
 * @param meanReward    mean reward over every round that queried it, all validators together
 * @param finalScore    its score book entry after the last round, averaged over validators
 * @param weight        its share of each validator's last weight row, averaged over validators
 * @param consensus     Yuma consensus after the last epoch
 * @param incentive     Yuma incentive after the last epoch
 * @param emissionShare its share of all miner emission summed over every epoch
 */
public record MinerOutcome(int uid, String hotkey, double meanReward, double finalScore, double weight, double consensus,
                           double incentive, double emissionShare) {
}
