package dev.chorus.miner.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections, not requests: a client can open sockets and send nothing (or a request head a byte at a time), which
 * no request check sees, and each open socket holds a file descriptor. A new connection is closed before it costs
 * more when {@code max_connections} are open, or when {@code max_connections_per_network} are open from its
 * {@link SenderNetwork}: without the second, one host could hold every connection a server allows and shut everyone
 * else out (on the miner, before a validator's signature is ever checked). With a header read timeout, a connection
 * kept is closed when no complete request head arrived within it of its opening or of its previous answer; an idle
 * timeout cannot do that, since every byte that trickles in restarts it. The miner's server and the validator's
 * listeners each have one; the first refusal past each limit is logged with the setting to raise.
 */
public final class ConnectionGate implements Handler<HttpConnection> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGate.class);

    /**
     * How many connections a server keeps open, and how long one may take to send a request head.
     *
     * @param settingPrefix     where the server's settings live ({@code server.}, {@code admin.}), for the log line
     * @param maxConnections    connections open at most
     * @param maxPerNetwork     connections open at most from one sender network; empty for no such limit
     * @param headerReadTimeout how long a connection may take to send a complete request head; empty for no deadline
     */
    public record Limits(String settingPrefix, int maxConnections, OptionalInt maxPerNetwork,
                         Optional<Duration> headerReadTimeout) {
    }

    /**
     * Where the gate reports: a gauge of the open connections and a counter of those closed on arrival (tagged with
     * the setting of the limit they reached), both with {@code tags}, e.g. which listener.
     */
    public record Meters(String openGauge, String refusedCounter, Tags tags) {
    }

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
    private final String server;
    private final Limits limits;
    private final Map<Limit, Counter> refused = new EnumMap<>(Limit.class);
    private final Set<Limit> reported = EnumSet.noneOf(Limit.class);
    private final Map<String, Integer> openByNetwork = new HashMap<>();
    private final Map<HttpConnection, HeadDeadline> deadlines = new ConcurrentHashMap<>();
    private int open;

    /** @param server what the log line calls the server ("the miner", "the admin listener") */
    public ConnectionGate(Vertx vertx, String server, Limits limits, Meters meters, MeterRegistry registry) {
        this.vertx = vertx;
        this.server = server;
        this.limits = limits;
        Gauge.builder(meters.openGauge(), this, ConnectionGate::open).tags(meters.tags())
                .description("client connections open").register(registry);
        for (Limit limit : Limit.values()) {
            if (limit == Limit.PER_NETWORK && limits.maxPerNetwork().isEmpty()) {
                continue;
            }
            refused.put(limit, Counter.builder(meters.refusedCounter())
                    .description("connections closed at once because the setting in the limit tag was reached")
                    .tags(meters.tags()).tag("limit", limit.setting).register(registry));
        }
    }

    /**
     * An HTTP/1.1 server behind this gate. Cleartext HTTP/2 is off: with it on, Vert.x waits for a connection's first
     * bytes to tell the protocols apart before it hands the connection over, so a socket that sends nothing would
     * never be counted. Validators, browsers and OpenAI clients speak HTTP/1.1 to an http:// address anyway.
     */
    public HttpServer server(HttpServerOptions options) {
        return vertx.createHttpServer(options.setHttp2ClearTextEnabled(false)).connectionHandler(this);
    }

    /** Keeps the connection, or closes it at once past a limit. */
    @Override
    public void handle(HttpConnection connection) {
        String network = SenderNetwork.of(connection.remoteAddress().hostAddress());
        Optional<Limit> reached = take(network);
        if (reached.isPresent()) {
            refused.get(reached.get()).increment();
            if (firstRefusal(reached.get())) {
                LOG.warn("{} has {} connections open{} and closes further ones as they arrive; each is counted as a refused"
                        + " connection in its metrics. Raise {}{} if they are your own clients, or find who holds them open",
                        server, reached.get() == Limit.TOTAL ? limits.maxConnections() : limits.maxPerNetwork().getAsInt(),
                        reached.get() == Limit.TOTAL ? "" : " from " + network, limits.settingPrefix(), reached.get().setting);
            }
            connection.close();
            return;
        }
        HeadDeadline deadline = limits.headerReadTimeout().map(timeout -> new HeadDeadline(connection, timeout)).orElse(null);
        if (deadline != null) {
            deadlines.put(connection, deadline);
            deadline.start();
        }
        connection.closeHandler(closed -> {
            if (deadline != null) {
                deadlines.remove(connection);
                deadline.closed();
            }
            release(network);
        });
    }

    /**
     * To be called with every request as it arrives, its head complete, where the limits have a header read timeout:
     * the connection's deadline stops while the request is answered and starts again once the answer was sent.
     */
    public void headArrived(HttpServerRequest request) {
        HeadDeadline deadline = deadlines.get(request.connection());
        if (deadline != null) {
            deadline.answering();
            request.response().endHandler(sent -> deadline.answered());
        }
    }

    synchronized int open() {
        return open;
    }

    private synchronized boolean firstRefusal(Limit limit) {
        return reported.add(limit);
    }

    private synchronized Optional<Limit> take(String network) {
        int fromNetwork = openByNetwork.getOrDefault(network, 0);
        if (open >= limits.maxConnections()) {
            return Optional.of(Limit.TOTAL);
        }
        if (limits.maxPerNetwork().isPresent() && fromNetwork >= limits.maxPerNetwork().getAsInt()) {
            return Optional.of(Limit.PER_NETWORK);
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
        private final long timeoutMs;
        private long timer = -1;
        private int unanswered;
        private boolean closed;

        HeadDeadline(HttpConnection connection, Duration timeout) {
            this.connection = connection;
            this.timeoutMs = Math.max(1, timeout.toMillis());
        }

        synchronized void start() {
            if (!closed) {
                timer = vertx.setTimer(timeoutMs, id -> connection.close());
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
