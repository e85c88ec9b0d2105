package dev.chorus.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The validator's query rounds.
 *
 * @param period           time from the start of one round to the start of the next
 * @param sampleSize       miners queried per round (at most this many serving miners)
 * @param minerTimeout     deadline for one miner's answer
 * @param roundDeadline    time a round should take, answers and scoring included: a round that ends later is
 *                         kept but counted and logged as overdue, so the operator can give rounds more time
 * @param maxResponseBytes a miner answer larger than this is refused without reading the rest
 * @param connectionsPerMiner connections the validator keeps open to each miner
 * @param connectTimeout   longest wait for a TCP connection to a miner
 * @param onePerIp         query at most one miner per IP address in a round
 * @param responseTimestampWindow how far a miner's signed response timestamp may be from this host's clock; a
 *                         response outside it is refused as a replay (the miners' own setting is server.timestamp_window)
 * @param querySet         JSONL file of questions (the miner SDK's corpus format); empty uses the built-in corpus
 * @param allowPrivateAxons ask miners whose axon is on a loopback, private (RFC 1918), link-local, carrier-grade NAT,
 *                         unique-local, multicast, reserved or unspecified address (IPv4 ones also inside IPv6
 *                         addresses that lead to them). Off, such a miner is not asked and counts
 *                         as not serving, because a miner chooses its address and could otherwise have the validator
 *                         send requests into the validator's own network; on only for a local chain (Anvil, the demo)
 *                         whose miners all run on this host or network
 */
public record RoundSettings(Duration period, int sampleSize, Duration minerTimeout, Duration roundDeadline,
                            int maxResponseBytes, int connectionsPerMiner, Duration connectTimeout, boolean onePerIp,
                            Duration responseTimestampWindow, Path querySet, boolean allowPrivateAxons)
        implements Settings {

    public static RoundSettings defaults() {
        return new RoundSettings(Duration.ofSeconds(12), 64, Duration.ofSeconds(8), Duration.ofSeconds(10),
                64 * 1024, 2, Duration.ofSeconds(3), false, Duration.ofSeconds(8), null, false);
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        Checks.positive(prefix + "period", period, problems);
        Checks.positive(prefix + "miner_timeout", minerTimeout, problems);
        Checks.positive(prefix + "round_deadline", roundDeadline, problems);
        Checks.range(prefix + "sample_size", sampleSize, 1, 4096, problems);
        Checks.range(prefix + "max_response_bytes", maxResponseBytes, 256, 16 * 1024 * 1024, problems);
        Checks.range(prefix + "connections_per_miner", connectionsPerMiner, 1, 64, problems);
        Checks.positive(prefix + "connect_timeout", connectTimeout, problems);
        Checks.positive(prefix + "response_timestamp_window", responseTimestampWindow, problems);
        Checks.notLonger(prefix + "miner_timeout", minerTimeout, "round_deadline", roundDeadline,
                "a miner cannot have longer than the round", problems);
        Checks.notLonger(prefix + "round_deadline", roundDeadline, "period", period, "rounds would overlap", problems);
    }
}
