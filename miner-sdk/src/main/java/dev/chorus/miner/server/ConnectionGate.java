package dev.chorus.miner.server;

import dev.chorus.config.MinerServerSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpConnection;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Connections, not requests: a client can open sockets and send nothing (or a request head a byte at a time), which
 * no request check sees. A new connection is closed before it costs more when {@code server.max_connections} are
 * open, or when {@code server.max_connections_per_network} are open from its {@link SenderNetwork}: without the
 * second, one host could hold every connection the miner allows and shut the validators out before a signature of
 * theirs is ever checked.
 */
final class ConnectionGate {

    /** The limit a refused connection reached, named in the metric as the setting that sets it. */
    private enum Limit {
        TOTAL("max_connections"),
        PER_NETWORK("max_connections_per_network");

        final String setting;

        Limit(String setting) {
            this.setting = setting;
        }
    }

    private final int maxConnections;
    private final int maxPerNetwork;
    private final Map<Limit, Counter> refused = new EnumMap<>(Limit.class);
    private final Map<String, Integer> openByNetwork = new HashMap<>();
    private int open;

    ConnectionGate(MinerServerSettings options, MeterRegistry registry) {
        this.maxConnections = options.maxConnections();
        this.maxPerNetwork = options.maxConnectionsPerNetwork();
        Gauge.builder("chorus.miner.connections", this, ConnectionGate::open)
                .description("client connections open").register(registry);
        for (Limit limit : Limit.values()) {
            refused.put(limit, Counter.builder("chorus.miner.connections.refused")
                    .description("connections closed at once because the setting in the limit tag was reached")
                    .tag("limit", limit.setting).register(registry));
        }
    }

    /** The server's connection handler: keeps the connection, or closes it at once past a limit. */
    void admit(HttpConnection connection) {
        String network = SenderNetwork.of(connection.remoteAddress().hostAddress());
        Optional<Limit> reached = take(network);
        if (reached.isPresent()) {
            refused.get(reached.get()).increment();
            connection.close();
            return;
        }
        connection.closeHandler(closed -> release(network));
    }

    synchronized int open() {
        return open;
    }

    private synchronized Optional<Limit> take(String network) {
        int fromNetwork = openByNetwork.getOrDefault(network, 0);
        if (fromNetwork >= maxPerNetwork) {
            return Optional.of(Limit.PER_NETWORK);
        }
        if (open >= maxConnections) {
            return Optional.of(Limit.TOTAL);
        }
        openByNetwork.put(network, fromNetwork + 1);
        open++;
        return Optional.empty();
    }

    private synchronized void release(String network) {
        openByNetwork.computeIfPresent(network, (key, count) -> count == 1 ? null : count - 1);
        open--;
    }
}
