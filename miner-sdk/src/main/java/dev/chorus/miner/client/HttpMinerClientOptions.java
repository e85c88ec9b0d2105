package dev.chorus.miner.client;

import dev.chorus.config.RoundSettings;
import java.time.Duration;

/**
 * The validator-side client's tunables.
 *
 * @param maxResponseBytes largest response body read; a larger one is cut off and counted OVERSIZE
 * @param connectTimeout   longest wait for a TCP connection (the query deadline still bounds the total)
 * @param timestampWindow  how far a response's signed timestamp may be from this host's clock
 * @param maxPoolSize      connections kept per miner
 */
public record HttpMinerClientOptions(int maxResponseBytes, Duration connectTimeout, Duration timestampWindow,
                                     int maxPoolSize) {

    /** The defaults of the validator's {@code rounds} settings. */
    public static HttpMinerClientOptions defaults() {
        return from(RoundSettings.defaults());
    }

    /** The client side of the validator's {@code rounds} settings. */
    public static HttpMinerClientOptions from(RoundSettings rounds) {
        return new HttpMinerClientOptions(rounds.maxResponseBytes(), rounds.connectTimeout(),
                rounds.responseTimestampWindow(), rounds.connectionsPerMiner());
    }

    public HttpMinerClientOptions {
        if (maxResponseBytes < 256) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 256, got " + maxResponseBytes);
        }
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be a positive duration");
        }
        if (timestampWindow == null || timestampWindow.isNegative() || timestampWindow.isZero()) {
            throw new IllegalArgumentException("timestampWindow must be a positive duration");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("maxPoolSize must be at least 1, got " + maxPoolSize);
        }
    }
}
