package dev.chorus.bench.load;

import java.util.Random;

/**
 * What a scripted miner does with each query: answer after a log-normal delay (capped below the miner deadline),
 * fail at once with HTTP 500, or hang past the deadline. Drawn from a seeded {@link Random}, so a run repeats.
 *
 * @param medianMs    median of the answer delay
 * @param sigma       log-normal shape; 0.87 puts the 99th percentile near 7.5 times the median
 * @param capMs       longest delay drawn (keep it under the validator's miner timeout)
 * @param errorRate   share of queries answered with HTTP 500 at once
 * @param hangRate    share of queries not answered before the deadline
 */
public record LatencyScript(double medianMs, double sigma, long capMs, double errorRate, double hangRate) {

    public LatencyScript {
        if (medianMs <= 0 || sigma < 0 || capMs < 1) {
            throw new IllegalArgumentException("the latency median and cap must be positive and sigma not negative");
        }
        if (errorRate < 0 || hangRate < 0 || errorRate + hangRate > 1) {
            throw new IllegalArgumentException("error and hang rates must be shares between 0 and 1, got "
                    + errorRate + " and " + hangRate);
        }
    }

    /** One query's fate. */
    public sealed interface Step {
    }

    public record Answer(long delayMs) implements Step {
    }

    public record Error() implements Step {
    }

    public record Hang() implements Step {
    }

    public Step next(Random random) {
        double u = random.nextDouble();
        double delay = Math.min(capMs, medianMs * Math.exp(sigma * random.nextGaussian()));
        if (u < errorRate) {
            return new Error();
        }
        if (u < errorRate + hangRate) {
            return new Hang();
        }
        return new Answer(Math.round(delay));
    }

    /** A miner that answers at once and never fails (the miner-SDK server benchmark's trivial handler). */
    public static LatencyScript instant() {
        return new LatencyScript(1e-9, 0, 1, 0, 0);
    }
}
