package dev.chorus.bench.replay;

import java.util.List;
import java.util.Map;

/**
 * Everything a replay measured.
 *
 * @param scorer           the scorer's command-line name
 * @param yuma3            whether Yuma3 bonds were used
 * @param settings         the settings it ran with
 * @param rounds           rounds scored, all validators together
 * @param longestLog       synthetic rounds in the longest validator's log, which the epochs cut every tempo
 * @param miners           one entry per miner uid, by uid
 * @param validators       one entry per validator, by uid: the replaying ones, then the weight copier if any
 * @param emissionByEpoch  per epoch, each miner's share of that epoch's miner emission (same order as miners)
 * @param weights          per validator, in the order of validators, each miner's share of its last weight row (same
 *                         order as miners); for the weight copier, the row of its that counted in the last epoch
 * @param rewards          every reward each miner got, by uid, in round order
 * @param check            how the re-scored rewards compare with the rewards in the log
 */
public record ReplayResult(String scorer, boolean yuma3, ReplaySettings settings, int rounds, int longestLog,
                           List<MinerOutcome> miners, List<ValidatorOutcome> validators,
                           List<double[]> emissionByEpoch, List<double[]> weights, Map<Integer, List<Double>> rewards,
                           RewardCheck check) {

    /**
     * How the replayed rewards compare with the logged ones.
     *
     * @param compared         rewards compared
     * @param equal            those equal to the logged reward bit for bit
     * @param maxAbsDifference largest absolute difference
     * @param promptNotLogged rewards of organic rounds whose prompt the log does not hold (organic.store_prompts
     *                        off): such a round cannot be scored again, so its logged rewards are kept, not compared
     * @param roundsNotJudged rounds the scorer cannot judge ({@link BenchScorer#canJudge}): their logged rewards are
     *                        kept in the same way
     */
    public record RewardCheck(long compared, long equal, double maxAbsDifference, long promptNotLogged,
                              long roundsNotJudged) {
    }

    public double[] cumulativeShares() {
        return miners.stream().mapToDouble(MinerOutcome::emissionShare).toArray();
    }
}
