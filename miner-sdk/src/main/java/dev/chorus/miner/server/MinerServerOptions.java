package dev.chorus.miner.server;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The miner server's tunables.
 *
 * @param host                   interface to bind (0.0.0.0 for all)
 * @param port                   TCP port; 0 picks a free one (tests)
 * @param maxBodyBytes           largest request body read; larger is refused before reading it
 * @param bodyReadTimeout        how long a client may take to send the body (slow-loris guard)
 * @param timestampWindow        how far a request's timestamp may be from this host's clock, either way
 * @param requireValidatorPermit whether the signer must hold a validator permit
 * @param minValidatorStake      least stake (chain base units) a signer needs
 * @param replayCacheSize        how many recent (signer, uuid) pairs are remembered
 * @param ratePerMinute          queries per minute one validator may send (token bucket refill)
 * @param rateBurst              how many queries one validator may send at once
 * @param maxConcurrent          handler calls running at the same time
 * @param maxQueued              admitted queries waiting for a slot; the lowest stake is dropped first
 * @param maxHandlerTime         cap on the handler's time even if the query's deadline is later
 * @param metagraphRefresh       how often the metagraph is re-read
 * @param metagraphMaxStaleness  how long the last good metagraph is trusted while the chain is unreachable
 */
public record MinerServerOptions(
        String host,
        int port,
        int maxBodyBytes,
        Duration bodyReadTimeout,
        Duration timestampWindow,
        boolean requireValidatorPermit,
        BigInteger minValidatorStake,
        int replayCacheSize,
        int ratePerMinute,
        int rateBurst,
        int maxConcurrent,
        int maxQueued,
        Duration maxHandlerTime,
        Duration metagraphRefresh,
        Duration metagraphMaxStaleness) {

    public static MinerServerOptions defaults() {
        return new MinerServerOptions("0.0.0.0", 8091, 64 * 1024, Duration.ofSeconds(5), Duration.ofSeconds(8),
                true, BigInteger.ZERO, 100_000, 120, 20, 8, 64, Duration.ofSeconds(60),
                Duration.ofSeconds(60), Duration.ofMinutes(15));
    }

    /** Every problem at once, each a sentence that says what to change; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (host == null || host.isBlank()) {
            problems.add("host is empty; use 0.0.0.0 to listen on every interface");
        }
        if (port < 0 || port > 65535) {
            problems.add("port must be 0..65535, got " + port);
        }
        if (maxBodyBytes < 256) {
            problems.add("maxBodyBytes must be at least 256, got " + maxBodyBytes);
        }
        positive(problems, "bodyReadTimeout", bodyReadTimeout);
        positive(problems, "timestampWindow", timestampWindow);
        if (minValidatorStake == null || minValidatorStake.signum() < 0) {
            problems.add("minValidatorStake must be zero or more");
        }
        if (replayCacheSize < 16) {
            problems.add("replayCacheSize must be at least 16, got " + replayCacheSize);
        }
        if (ratePerMinute < 1 || rateBurst < 1) {
            problems.add("ratePerMinute and rateBurst must be at least 1");
        }
        if (maxConcurrent < 1) {
            problems.add("maxConcurrent must be at least 1, got " + maxConcurrent);
        }
        if (maxQueued < 0) {
            problems.add("maxQueued must be zero or more, got " + maxQueued);
        }
        positive(problems, "maxHandlerTime", maxHandlerTime);
        positive(problems, "metagraphRefresh", metagraphRefresh);
        positive(problems, "metagraphMaxStaleness", metagraphMaxStaleness);
        return problems;
    }

    public MinerServerOptions validate() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid miner server options: " + String.join("; ", problems));
        }
        return this;
    }

    public MinerServerOptions withPort(int newPort) {
        return new MinerServerOptions(host, newPort, maxBodyBytes, bodyReadTimeout, timestampWindow,
                requireValidatorPermit, minValidatorStake, replayCacheSize, ratePerMinute, rateBurst,
                maxConcurrent, maxQueued, maxHandlerTime, metagraphRefresh, metagraphMaxStaleness);
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            problems.add(name + " must be a positive duration, got " + value);
        }
    }
}
