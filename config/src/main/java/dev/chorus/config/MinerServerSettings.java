package dev.chorus.config;

import java.time.Duration;
import java.util.List;

/**
 * The miner's axon: the HTTP server validators query, and the checks it makes before answering.
 *
 * @param host             address to bind
 * @param port             port to bind; 0 picks a free one
 * @param externalHost     address announced on chain with serveAxon (what validators connect to)
 * @param maxBodyBytes     a request body larger than this is refused before it is read
 * @param timestampWindow  a request signed further than this from the miner's clock is refused
 * @param replayCacheSize  request ids remembered to refuse replays
 * @param minValidatorStake stake a validator needs to be answered, in rao (10^9 to a token, the unit stake is in on chain)
 * @param requestsPerSecond answers per second allowed to one validator
 * @param maxConcurrency   queries handled at once; more wait, the highest stake first
 * @param metagraphMaxStaleness how long the miner keeps trusting its last metagraph when the chain cannot be read
 * @param requireValidatorPermit whether a validator needs a validator permit to be answered
 * @param rateBurst        queries one validator may send at once before requests_per_second applies
 * @param maxQueued        queries waiting for a free handler; when full the lowest stake is refused with 503
 * @param maxHandlerTime   longest the model may take on one query, whatever deadline the query asks for
 * @param bodyReadTimeout  longest a client may take to send a request body (slow-loris guard)
 * @param maxSignatureChecks request signatures being verified or waiting to be; when full the busiest sender network
 *                         (IPv4 address or IPv6 /64), and within it the busiest address, is refused with 503
 * @param maxConnections   open client connections at most; a connection beyond them is closed at once, so clients
 *                         that open connections and send nothing cannot use up the process's file descriptors
 * @param maxConnectionsPerNetwork open client connections at most from one sender network (IPv4 address or IPv6 /64);
 *                         a connection beyond them is closed at once, so one host cannot take all of max_connections
 *                         and shut the validators out. A validator keeps rounds.connections_per_miner (default 2)
 *                         open; raise this when several validators reach the miner from one address
 * @param headerReadTimeout longest a connection may take to send a complete request head, from when it opens or its
 *                         previous answer was sent (so also how long an idle kept-alive connection stays open); unlike
 *                         an idle timeout, bytes that trickle in do not extend it (slow-loris guard)
 * @param signatureThreads threads that check request signatures and sign answers, off the event loop; 0 takes half
 *                         the cores (at least one), which check thousands a second and leave the other half to the
 *                         event loop and the model during a flood of forged signatures
 */
public record MinerServerSettings(String host, int port, String externalHost, int maxBodyBytes, Duration timestampWindow,
                                  int replayCacheSize, long minValidatorStake, double requestsPerSecond,
                                  int maxConcurrency, Duration metagraphMaxStaleness, boolean requireValidatorPermit,
                                  int rateBurst, int maxQueued, Duration maxHandlerTime, Duration bodyReadTimeout,
                                  int maxSignatureChecks, int maxConnections, int maxConnectionsPerNetwork,
                                  Duration headerReadTimeout, int signatureThreads)
        implements Settings {

    public static MinerServerSettings defaults() {
        return new MinerServerSettings("0.0.0.0", 8091, "127.0.0.1", 64 * 1024, Duration.ofSeconds(8), 100_000,
                0, 10.0, 16, Duration.ofMinutes(10), true, 20, 64, Duration.ofSeconds(60), Duration.ofSeconds(5),
                256, 1_024, 16, Duration.ofSeconds(30), 0);
    }

    /** The same settings on another port (tests bind port 0). */
    public MinerServerSettings withPort(int newPort) {
        return new MinerServerSettings(host, newPort, externalHost, maxBodyBytes, timestampWindow, replayCacheSize,
                minValidatorStake, requestsPerSecond, maxConcurrency, metagraphMaxStaleness, requireValidatorPermit,
                rateBurst, maxQueued, maxHandlerTime, bodyReadTimeout, maxSignatureChecks, maxConnections,
                maxConnectionsPerNetwork, headerReadTimeout, signatureThreads);
    }

    /**
     * The same settings on loopback: bound to 127.0.0.1 on a free port and announced there, answering each validator
     * up to {@code perSecond} requests a second with a burst as large. Local subnets (the demo, tests, benchmarks)
     * query far more often than a validator on a real network would, and all their validators connect from one
     * address, so one network may open as many connections as the miner allows in all.
     */
    public MinerServerSettings onLoopback(double perSecond) {
        return new MinerServerSettings("127.0.0.1", 0, "127.0.0.1", maxBodyBytes, timestampWindow, replayCacheSize,
                minValidatorStake, perSecond, maxConcurrency, metagraphMaxStaleness, requireValidatorPermit,
                (int) Math.ceil(perSecond), maxQueued, maxHandlerTime, bodyReadTimeout, maxSignatureChecks,
                maxConnections, maxConnections, headerReadTimeout, signatureThreads);
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        if (host == null || host.isBlank()) {
            problems.add(prefix + "host: empty; use 0.0.0.0 to listen on every interface");
        }
        if (externalHost == null || externalHost.isBlank()) {
            problems.add(prefix + "external_host: empty; set the IP address validators reach this miner at");
        } else if (!Checks.isIpLiteral(externalHost.strip())) {
            // The chain stores the axon as an address: a host name would fail only after --register paid the fee.
            problems.add(prefix + "external_host: '" + externalHost.strip() + "' is not an IP address; set the IPv4 or"
                    + " IPv6 address validators reach this miner at, e.g. 203.0.113.7, or 127.0.0.1 on a local chain"
                    + " (host names such as localhost are not resolved)");
        } else if (IpLiteral.parse(externalHost).orElseThrow().isAnyLocalAddress()) {
            // Stored on chain as ip 0, which reads back as no axon: validators skip the miner, and every --register
            // pays to announce it again.
            problems.add(prefix + "external_host: '" + externalHost.strip() + "' is the any address a server listens on"
                    + " (server.host), not one validators can reach; set the IP address validators reach this miner at,"
                    + " e.g. 203.0.113.7, or 127.0.0.1 on a local chain");
        }
        Checks.port(prefix + "port", port, problems);
        Checks.range(prefix + "max_body_bytes", maxBodyBytes, 256, 64 * 1024 * 1024, problems);
        Checks.positive(prefix + "timestamp_window", timestampWindow, problems);
        Checks.range(prefix + "replay_cache_size", replayCacheSize, 16, 10_000_000, problems);
        Checks.range(prefix + "min_validator_stake", minValidatorStake, 0, Long.MAX_VALUE, problems);
        Checks.range(prefix + "requests_per_second", requestsPerSecond, 0.01, 1_000_000.0, problems);
        Checks.range(prefix + "max_concurrency", maxConcurrency, 1, 100_000, problems);
        Checks.positive(prefix + "metagraph_max_staleness", metagraphMaxStaleness, problems);
        Checks.range(prefix + "rate_burst", rateBurst, 1, 1_000_000, problems);
        Checks.range(prefix + "max_queued", maxQueued, 0, 1_000_000, problems);
        Checks.positive(prefix + "max_handler_time", maxHandlerTime, problems);
        Checks.positive(prefix + "body_read_timeout", bodyReadTimeout, problems);
        Checks.range(prefix + "max_signature_checks", maxSignatureChecks, 1, 1_000_000, problems);
        Checks.range(prefix + "max_connections", maxConnections, 1, 1_000_000, problems);
        Checks.range(prefix + "max_connections_per_network", maxConnectionsPerNetwork, 1, 1_000_000, problems);
        Checks.positive(prefix + "header_read_timeout", headerReadTimeout, problems);
        Checks.range(prefix + "signature_threads", signatureThreads, 0, 1_024, problems);
    }

    /** {@link #signatureThreads}, with 0 resolved for a machine of {@code cores} cores. */
    public int signatureThreads(int cores) {
        return signatureThreads > 0 ? signatureThreads : Math.max(1, cores / 2);
    }
}
