package dev.chorus.validator.organic;

/**
 * A token bucket: holds up to {@code capacity} tokens, refills at a steady rate, and each request takes one.
 * Time is passed in (nanoseconds from any fixed origin) so the arithmetic is testable without waiting.
 */
final class TokenBucket {

    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long last;

    TokenBucket(int capacity, int perMinute, long nowNanos) {
        this.capacity = capacity;
        this.tokensPerNano = perMinute / 60e9;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes a token if there is one; returns 0 on success, or the nanoseconds until a token will be there. */
    synchronized long tryTake(long nowNanos) {
        if (nowNanos > last) {
            tokens = Math.min(capacity, tokens + (nowNanos - last) * tokensPerNano);
            last = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - tokens) / tokensPerNano);
    }
}
