package dev.chorus.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The operator's HTTP endpoints: dashboard, status API, metrics and health.
 *
 * @param host           address to bind; anything but loopback requires a token
 * @param port           port to bind; 0 picks a free one
 * @param tokenEnv       name of the environment variable holding the bearer token for non-loopback access, at least
 *                       {@value #MIN_TOKEN_CHARS} characters
 * @param idleTimeout    a connection that sends and receives nothing for this long is closed
 * @param maxConnections connections open at once; further ones are closed as they arrive, so clients that open
 *                       sockets and send nothing cannot use up the process's file descriptors
 * @param maxConnectionsPerNetwork connections open at once from one sender network (IPv4 address or IPv6 /64); further
 *                       ones are closed as they arrive, so one host cannot take every connection and shut the operator
 *                       out. On loopback every client is one network: this host's browser, scrapers and scripts
 *                       share the limit
 * @param tlsCertFile    PEM certificate (chain) to serve https with; empty serves plain http. Off loopback the bearer
 *                       token crosses the network, which TLS (here or in a proxy in front) keeps from onlookers
 * @param tlsKeyFile     PEM private key of {@code tlsCertFile} (PKCS#8 or PKCS#1)
 * @param allowedHosts   comma-separated host names that the {@code Host} header of a request may carry while the
 *                       listener is on loopback; IP literals always pass, {@code *} lets any name pass. Without a
 *                       token, this is what keeps a web page in the operator's browser from reading the endpoints
 *                       through DNS rebinding (its own name made to point at 127.0.0.1). Off loopback every request
 *                       needs the token, which such a page does not have, and the list is not used
 * @param historyRounds  rounds of score history that the dashboard's chart and {@code /api/status} show, the latest ones
 *                       since start. Each point holds every uid's score and the dashboard reads them all at each poll,
 *                       so a long history on a large subnet makes every status document larger
 */
public record AdminSettings(String host, int port, String tokenEnv, Duration idleTimeout, int maxConnections,
                            int maxConnectionsPerNetwork, String tlsCertFile, String tlsKeyFile, String allowedHosts,
                            int historyRounds)
        implements Settings {

    /** Shortest admin token accepted: 32 random hex characters are 128 bits, beyond guessing over the network. */
    public static final int MIN_TOKEN_CHARS = 32;

    public static AdminSettings defaults() {
        return new AdminSettings("127.0.0.1", 9100, "CHORUS_ADMIN_TOKEN", Duration.ofSeconds(30), 64, 16, "", "",
                "localhost", 120);
    }

    /** The names listed in {@link #allowedHosts}, lower-cased, without a final dot, blanks dropped. */
    public List<String> allowedHostNames() {
        return allowedHosts == null ? List.of() : Arrays.stream(allowedHosts.split(","))
                .map(name -> name.strip().toLowerCase(Locale.ROOT))
                .map(name -> name.endsWith(".") ? name.substring(0, name.length() - 1) : name)
                .filter(name -> !name.isEmpty()).toList();
    }

    @Override
    public void validate(String prefix, List<String> problems) {
        if (host == null || host.isBlank()) {
            problems.add(prefix + "host: empty; use 127.0.0.1 to keep the admin endpoints local");
        }
        Checks.port(prefix + "port", port, problems);
        Checks.positive(prefix + "idle_timeout", idleTimeout, problems);
        Checks.range(prefix + "max_connections", maxConnections, 1, 100_000, problems);
        Checks.range(prefix + "max_connections_per_network", maxConnectionsPerNetwork, 1, 100_000, problems);
        Checks.tlsFiles(prefix, tlsCertFile, tlsKeyFile, problems);
        Checks.range(prefix + "history_rounds", historyRounds, 1, 10_000, problems);
        for (String name : allowedHostNames()) {
            if (!name.equals("*") && !name.matches("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?")) {
                problems.add(prefix + "allowed_hosts: '" + name + "' is not a host name; list names alone, without"
                        + " scheme, port or path (localhost,validator.example.org), or * to let any name pass");
            }
        }
    }
}
