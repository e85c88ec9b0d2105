package dev.chorus.scoring.book;

import dev.chorus.config.ScoringSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * Tunables of {@link ScoreBook}, taken from the config module's {@link ScoringSettings}.
 *
 * @param alpha       weight of a new reward in a queried miner's moving average (0.05 to 0.1 is usual)
 * @param absentDecay factor applied to a miner's score each time it is queried and does not answer; kept
 *                    close to 1 so a brief outage costs little while a dead miner fades out
 */
public record ScoreBookOptions(double alpha, double absentDecay) {

    public static ScoreBookOptions defaults() {
        return from(ScoringSettings.defaults());
    }

    public static ScoreBookOptions from(ScoringSettings s) {
        return new ScoreBookOptions(s.movingAverageAlpha(), s.absentDecay());
    }

    /** Every problem with these options, each a sentence saying how to fix it; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!(alpha > 0 && alpha <= 1)) {
            problems.add("moving-average alpha is " + alpha + ": it must be in (0, 1], e.g. 0.1");
        }
        if (!(absentDecay >= 0 && absentDecay <= 1)) {
            problems.add("absent decay is " + absentDecay + ": it must be in [0, 1], e.g. 0.98");
        }
        return problems;
    }

    public ScoreBookOptions validate() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid score book options: " + String.join("; ", problems));
        }
        return this;
    }
}
