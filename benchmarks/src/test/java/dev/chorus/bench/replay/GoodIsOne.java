package dev.chorus.bench.replay;

import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Penalty;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.consensus.RoundScores;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reward 1 for the answer "good", 0 for any other, no answer for a failed miner: the rule under study does not matter. */
class GoodIsOne implements BenchScorer {

    @Override
    public String name() {
        return "good-is-one";
    }

    @Override
    public RoundScores score(Round round) {
        List<MinerScore> scores = new ArrayList<>();
        for (RoundAnswer a : round.answers()) {
            double reward = "good".equals(a.text()) ? 1 : 0;
            Set<Penalty> penalties = a.text() == null ? Set.of(Penalty.NO_ANSWER) : Set.of();
            scores.add(new MinerScore(a.uid(), reward, reward, reward, Double.NaN, 1, -1, penalties));
        }
        return new RoundScores(scores, new float[0], Double.NaN, 0);
    }
}
