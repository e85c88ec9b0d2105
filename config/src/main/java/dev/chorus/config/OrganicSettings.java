package dev.chorus.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The validator's front door for consumers' questions (organic queries): {@code POST /v1/ask} and the
 * OpenAI-compatible {@code POST /v1/chat/completions}, on a listener of their own.
 *
 * @param enabled             start the organic listener at all
 * @param host                address the organic listener binds (separate from the admin listener)
 * @param port                port of the organic listener; 0 picks a free one
 * @param apiKeyEnvs          comma-separated names of environment variables each holding one API key of at least
 *                            {@value #MIN_API_KEY_CHARS} characters; the variable's name is the key's name in logs and
 *                            metrics
 * @param requestsPerMinute   steady request rate allowed per API key (token bucket refill)
 * @param burst               requests one key may send at once before the rate applies (bucket size)
 * @param maxConcurrentPerKey requests of one key in flight at once
 * @param maxConcurrent       organic requests in flight at once over all keys (the organic budget)
 * @param maxBodyBytes        larger request bodies are refused with 413
 * @param maxPromptChars      longer prompts are refused with 413
 * @param maxMiners           miners asked when a request does not say
 * @param maxMinersLimit      most miners one request may ask for
 * @param deadline            time miners get to answer when a request does not say
 * @param maxDeadline         longest deadline a request may ask for; a connection silent for twice this long is
 *                            closed (no exchange is silent longer than the deadline it asked for)
 * @param explorationShare    share of the miners asked that are drawn at random rather than by score
 * @param scoreWeight         weight of an organic round in the score book relative to a synthetic one; 0 = off
 * @param storePrompts        write consumers' prompts into the round log (otherwise stored empty)
 * @param returnOthers        {@code /v1/ask} also returns every other miner's answer with its similarity, reward,
 *                            latency and penalties. Off by default: a key holder who also mines could replay those
 *                            answers to questions that come back and learn from the rewards what the scorer pays, a
 *                            scoring oracle and a copy source served for free
 * @param workerThreads       threads embedding and scoring organic answers (kept apart from synthetic scoring)
 * @param scoringShare        share of wall time that scoring organic answers may take on average (the organic
 *                            CPU budget); requests beyond it get 429 so synthetic rounds keep their pace
 * @param maxConnections      connections open at once; further ones are closed as they arrive, so clients that open
 *                            sockets and send nothing cannot use up the process's file descriptors
 * @param maxConnectionsPerNetwork connections open at once from one sender network (IPv4 address or IPv6 /64);
 *                            further ones are closed as they arrive, so one host cannot take every connection and
 *                            shut the other consumers out. Behind a proxy or gateway every consumer arrives from its
 *                            address: raise it to {@code maxConnections} there
 * @param tlsCertFile         PEM certificate (chain) to serve https with; empty serves plain http, which sends the
 *                            consumers' API keys and prompts in the clear unless a TLS proxy stands in front
 * @param tlsKeyFile          PEM private key of {@code tlsCertFile} (PKCS#8 or PKCS#1)
 */
public record OrganicSettings(boolean enabled, String host, int port, String apiKeyEnvs, int requestsPerMinute,
                              int burst, int maxConcurrentPerKey, int maxConcurrent, int maxBodyBytes,
                              int maxPromptChars, int maxMiners, int maxMinersLimit, Duration deadline,
                              Duration maxDeadline, double explorationShare, double scoreWeight,
                              boolean storePrompts, boolean returnOthers, int workerThreads, double scoringShare,
                              int maxConnections, int maxConnectionsPerNetwork, String tlsCertFile,
                              String tlsKeyFile)
        implements Settings {

    /** Shortest API key accepted: 32 random hex characters are 128 bits, beyond guessing over the network. */
    public static final int MIN_API_KEY_CHARS = 32;

    public static OrganicSettings defaults() {
        return new OrganicSettings(false, "127.0.0.1", 9200, "CHORUS_API_KEY", 60, 10, 4, 8, 64 * 1024, 8000, 8, 32,
                Duration.ofSeconds(8), Duration.ofSeconds(30), 0.125, 0.0, false, false, 1, 0.25, 256, 64, "", "");
    }

    /** The environment variable names listed in {@link #apiKeyEnvs}, blanks dropped. */
    public List<String> apiKeyEnvNames() {
        return apiKeyEnvs == null ? List.of()
                : Arrays.stream(apiKeyEnvs.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        if (host == null || host.isBlank()) {
            problems.add(prefix + "host: empty; use 127.0.0.1 for local use or 0.0.0.0 to serve consumers");
        }
        Checks.port(prefix + "port", port, problems);
        if (enabled && apiKeyEnvNames().isEmpty()) {
            problems.add(prefix + "api_key_envs: empty; name at least one environment variable that holds an API key");
        }
        for (String name : apiKeyEnvNames()) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add(prefix + "api_key_envs: '" + name + "' is not an environment variable name; list names "
                        + "such as CHORUS_API_KEY_ALICE, never the keys themselves");
            }
        }
        Checks.range(prefix + "requests_per_minute", requestsPerMinute, 1, 1_000_000, problems);
        Checks.range(prefix + "burst", burst, 1, 100_000, problems);
        Checks.range(prefix + "max_concurrent_per_key", maxConcurrentPerKey, 1, 10_000, problems);
        Checks.range(prefix + "max_concurrent", maxConcurrent, 1, 10_000, problems);
        Checks.range(prefix + "max_body_bytes", maxBodyBytes, 256, 16 * 1024 * 1024, problems);
        Checks.range(prefix + "max_prompt_chars", maxPromptChars, 1, 1_000_000, problems);
        Checks.range(prefix + "max_miners_limit", maxMinersLimit, 1, 4096, problems);
        Checks.range(prefix + "max_miners", maxMiners, 1, Math.max(1, maxMinersLimit), problems);
        Checks.positive(prefix + "deadline", deadline, problems);
        Checks.positive(prefix + "max_deadline", maxDeadline, problems);
        Checks.notLonger(prefix + "deadline", deadline, "max_deadline", maxDeadline,
                "raise max_deadline or shorten deadline", problems);
        Checks.range(prefix + "exploration_share", explorationShare, 0.0, 1.0, problems);
        Checks.range(prefix + "score_weight", scoreWeight, 0.0, 1.0, problems);
        Checks.range(prefix + "worker_threads", workerThreads, 1, 256, problems);
        Checks.range(prefix + "scoring_share", scoringShare, 0.01, 1.0, problems);
        Checks.range(prefix + "max_connections", maxConnections, 1, 100_000, problems);
        Checks.range(prefix + "max_connections_per_network", maxConnectionsPerNetwork, 1, 100_000, problems);
        Checks.tlsFiles(prefix, tlsCertFile, tlsKeyFile, problems);
    }
}
