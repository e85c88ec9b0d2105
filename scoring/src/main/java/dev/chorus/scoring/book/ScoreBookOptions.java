package dev.chorus.scoring.book;

import java.util.ArrayList;
import java.util.List;

/**
 * Tunables of {@link ScoreBook}. Stands in for the scoring section of the config module until it lands.
 *
 * @param alpha         weight of a new reward in a queried miner's moving average (0.05 to 0.1 is usual)
 * @param noAnswerDecay fraction of its score a miner loses each time it is queried and does not answer; kept
 *                      well below {@code alpha} so a brief outage costs little while a dead miner fades out
 */
public record ScoreBookOptions(double alpha, double noAnswerDecay) {

    public static ScoreBookOptions defaults() {
        return new ScoreBookOptions(0.1, 0.01);
    }

    /** Every problem with these options, each a sentence saying how to fix it; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!(alpha > 0 && alpha <= 1)) {
            problems.add("moving-average alpha is " + alpha + ": it must be in (0, 1], e.g. 0.1");
        }
        if (!(noAnswerDecay >= 0 && noAnswerDecay <= 1)) {
            problems.add("no-answer decay is " + noAnswerDecay + ": it must be in [0, 1], e.g. 0.01");
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
