package dev.chorus.bench.scenario;

import dev.chorus.bench.metrics.Evaluation;
import dev.chorus.bench.metrics.MinerClass;

/**
 * The bar a scoring rule must clear on the default scenario: honest miners earn at least 80 % of miner emission,
 * the cheating classes ({@link MinerClass#cheating()}: copycats, colluders, lazy miners, padders, openers) together
 * at most 10 %, and Spearman(true quality, emission) is at least 0.9.
 *
 * @param honestShare  honest miners' share of miner emission
 * @param cheaterShare the cheating classes' share together
 * @param spearman     rank correlation of true quality and emission; NaN when every miner has the same true
 *                     quality, which leaves no ranking to check
 */
public record Acceptance(double honestShare, double cheaterShare, double spearman) {

    public static final double MIN_HONEST_SHARE = 0.8;
    public static final double MAX_CHEATER_SHARE = 0.1;
    public static final double MIN_SPEARMAN = 0.9;

    public static Acceptance of(Evaluation evaluation) {
        return new Acceptance(evaluation.share(MinerClass.HONEST), evaluation.cheaterShare(), evaluation.spearman());
    }

    public boolean passed() {
        return honestShare >= MIN_HONEST_SHARE && cheaterShare <= MAX_CHEATER_SHARE
                && (Double.isNaN(spearman) || spearman >= MIN_SPEARMAN);
    }
}
