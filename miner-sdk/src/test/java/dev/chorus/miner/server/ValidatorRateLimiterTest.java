package dev.chorus.miner.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValidatorRateLimiterTest {

    @Test
    void allowsTheBurstThenRefillsAtTheRate() {
        ValidatorRateLimiter limiter = new ValidatorRateLimiter(2.0, 3);
        long t = 1_000_000_000L;
        assertThat(limiter.tryAcquire("v", t)).isZero();
        assertThat(limiter.tryAcquire("v", t)).isZero();
        assertThat(limiter.tryAcquire("v", t)).isZero();
        assertThat(limiter.tryAcquire("v", t)).as("ms until the next token at 2/s").isEqualTo(500);
        assertThat(limiter.tryAcquire("other", t)).as("buckets are per validator").isZero();
        assertThat(limiter.tryAcquire("v", t + 500_000_000L)).isZero();
    }
}
