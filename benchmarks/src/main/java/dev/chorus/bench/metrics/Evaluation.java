package dev.chorus.bench.metrics;

import dev.chorus.bench.replay.MinerOutcome;
import dev.chorus.bench.replay.ReplayResult;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How well a replay paid the miners, judged against what they really are.
 *
 * @param shareByClass   share of all miner emission per class ("unknown" for uids without a truth)
 * @param spearman       rank correlation of true quality and emission share over the miners with a known
 *                       quality; NaN with fewer than two, when all have the same quality (no ranking to match), or
 *                       when no miner was paid; 0 when their qualities differ but every one earned the same
 * @param gini           Gini coefficient of the miners' emission shares; NaN when no miner was paid
 * @param stableAfter    tempos until the ranking settles ({@link RankStabilisation}), -1 if it does not
 * @param epochs         epochs replayed
 */
public record Evaluation(Map<String, Double> shareByClass, double spearman, double gini, int stableAfter, int epochs) {

    public static final String UNKNOWN = "unknown";

    public Evaluation {
        shareByClass = new TreeMap<>(shareByClass);
    }

    public static Evaluation of(ReplayResult result, Map<Integer, MinerTruth> truth) {
        Map<String, Double> byClass = new TreeMap<>();
        List<Double> quality = new ArrayList<>();
        List<Double> share = new ArrayList<>();
        for (MinerOutcome m : result.miners()) {
            MinerTruth t = truth.get(m.uid());
            byClass.merge(t == null ? UNKNOWN : t.minerClass(), m.emissionShare(), Double::sum);
            if (t != null && !Double.isNaN(t.quality())) {
                quality.add(t.quality());
                share.add(m.emissionShare());
            }
        }
        double gini = Gini.of(result.cumulativeShares());
        return new Evaluation(byClass, Double.isNaN(gini) ? Double.NaN : spearman(quality, share), gini,
                RankStabilisation.tempos(result.emissionByEpoch(), RankStabilisation.DEFAULT_THRESHOLD),
                result.emissionByEpoch().size());
    }

    /** The correlation is undefined for a constant side; equal pay for unequal quality follows quality not at all. */
    private static double spearman(List<Double> quality, List<Double> share) {
        if (quality.stream().distinct().count() < 2) {
            return Double.NaN;
        }
        if (share.stream().distinct().count() < 2) {
            return 0;
        }
        return new SpearmansCorrelation().correlation(quality.stream().mapToDouble(Double::doubleValue).toArray(),
                share.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** No miner earned anything in any epoch: there is no distribution to judge, so Spearman and Gini are NaN. */
    public boolean noMinerPaid() {
        return Double.isNaN(gini);
    }

    public double share(MinerClass minerClass) {
        return shareByClass.getOrDefault(minerClass.label(), 0.0);
    }

    /** Emission share of the cheating classes together: copycats, colluders, lazy miners, padders and openers. */
    public double cheaterShare() {
        double total = 0;
        for (MinerClass c : MinerClass.values()) {
            total += c.cheating() ? share(c) : 0;
        }
        return total;
    }
}
