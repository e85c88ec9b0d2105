package dev.chorus.miner.server;

import java.util.HashMap;
import java.util.Map;

/**
 * One token bucket per validator hotkey. Only authenticated permit holders reach it, so the map is
 * bounded by the number of validators on the subnet.
 */
final class ValidatorRateLimiter {

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    private final double tokensPerNano;
    private final int burst;
    private final Map<String, Bucket> buckets = new HashMap<>();

    ValidatorRateLimiter(double perSecond, int burst) {
        this.tokensPerNano = perSecond / 1e9;
        this.burst = burst;
    }

    /** Takes one token; returns 0 when allowed, else the milliseconds until the next token. */
    synchronized long tryAcquire(String validator, long nowNanos) {
        Bucket bucket = buckets.computeIfAbsent(validator, k -> {
            Bucket fresh = new Bucket();
            fresh.tokens = burst;
            fresh.updatedNanos = nowNanos;
            return fresh;
        });
        bucket.tokens = Math.min(burst, bucket.tokens + (nowNanos - bucket.updatedNanos) * tokensPerNano);
        bucket.updatedNanos = nowNanos;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - bucket.tokens) / tokensPerNano / 1e6);
    }
}
