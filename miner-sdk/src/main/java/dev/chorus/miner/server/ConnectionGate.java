package dev.chorus.miner.server;

import dev.chorus.config.MinerServerSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections, not requests: a client can open sockets and send nothing (or a request head a byte at a time), which
 * no request check sees. A new connection is closed before it costs more when {@code server.max_connections} are
 * open, or when {@code server.max_connections_per_network} are open from its {@link SenderNetwork}: without the
 * second, one host could hold every connection the miner allows and shut the validators out before a signature of
 * theirs is ever checked. A connection kept is closed when no complete request head arrived within
 * {@code server.header_read_timeout} of its opening or of its previous answer; the server's idle timeout cannot do
 * that, since every byte that trickles in restarts it.
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

    private final Vertx vertx;
    private final int maxConnections;
    private final int maxPerNetwork;
    private final long headTimeoutMs;
    private final Map<Limit, Counter> refused = new EnumMap<>(Limit.class);
    private final Map<String, Integer> openByNetwork = new HashMap<>();
    private final Map<HttpConnection, HeadDeadline> deadlines = new ConcurrentHashMap<>();
    private int open;

    ConnectionGate(Vertx vertx, MinerServerSettings options, MeterRegistry registry) {
        this.vertx = vertx;
        this.maxConnections = options.maxConnections();
        this.maxPerNetwork = options.maxConnectionsPerNetwork();
        this.headTimeoutMs = Math.max(1, options.headerReadTimeout().toMillis());
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
        HeadDeadline deadline = new HeadDeadline(connection);
        deadlines.put(connection, deadline);
        deadline.start();
        connection.closeHandler(closed -> {
            deadlines.remove(connection);
            deadline.closed();
            release(network);
        });
    }

    /**
     * To be called with every request as it arrives, its head complete: the connection's deadline stops while the
     * request is answered and starts again once the answer was sent.
     */
    void headArrived(HttpServerRequest request) {
        HeadDeadline deadline = deadlines.get(request.connection());
        if (deadline != null) {
            deadline.answering();
            request.response().endHandler(sent -> deadline.answered());
        }
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

    /**
     * The time one connection has left to send a complete request head. Counted by requests being answered, not a
     * flag: a pipelined request can arrive before the answer to the one ahead of it was sent.
     */
    private final class HeadDeadline {
        private final HttpConnection connection;
        private long timer = -1;
        private int unanswered;
        private boolean closed;

        HeadDeadline(HttpConnection connection) {
            this.connection = connection;
        }

        synchronized void start() {
            if (!closed) {
                timer = vertx.setTimer(headTimeoutMs, id -> connection.close());
            }
        }

        synchronized void answering() {
            unanswered++;
            cancel();
        }

        synchronized void answered() {
            if (--unanswered == 0) {
                start();
            }
        }

        synchronized void closed() {
            closed = true;
            cancel();
        }

        private void cancel() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}
