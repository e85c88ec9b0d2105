package dev.chorus.miner.examples;

import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.Miner;

import java.time.Duration;

/** Waits {@code delay} before letting another miner answer: for testing deadlines and latency scoring. */
public record SlowMiner(Miner inner, Duration delay) implements Miner {

    public SlowMiner {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or positive, got " + delay);
        }
    }

    @Override
    public String answer(QueryRequest query) throws Exception {
        // Runs on a miner worker thread, never on an event loop, so blocking is the honest model of a slow model.
        Thread.sleep(delay.toMillis());
        return inner.answer(query);
    }

    @Override
    public String model() {
        return "slow(" + inner.model() + ")";
    }
}
