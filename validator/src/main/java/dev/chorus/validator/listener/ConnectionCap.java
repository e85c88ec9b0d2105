package dev.chorus.validator.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener's connection handler that closes every connection beyond {@code max} as it arrives. Vert.x has no cap of
 * its own, and each open socket holds a file descriptor, which the rounds need for miners and the chain; an idle
 * timeout alone still lets a client open sockets faster than they time out. Refusals are counted in
 * {@code chorus_validator_connections_refused_total{listener}}, and the first is logged. Thread-safe: a listener may
 * accept on several event loops.
 */
public final class ConnectionCap implements Handler<HttpConnection> {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);

    private final String listener;
    private final int max;
    private final String setting;
    private final Counter refused;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean reported = new AtomicBoolean();

    /**
     * @param listener the listener's name in the metric and the log ({@code admin}, {@code organic})
     * @param setting  the setting that sets {@code max}, named in the log line
     */
    public ConnectionCap(String listener, int max, String setting, MeterRegistry registry) {
        this.listener = listener;
        this.max = max;
        this.setting = setting;
        this.refused = Counter.builder("chorus_validator_connections_refused")
                .description("Connections a validator listener closed on arrival because it had its maximum open, by listener")
                .tag("listener", listener).register(registry);
    }

    /**
     * An HTTP/1.1 server under this cap. Cleartext HTTP/2 is off: with it on, Vert.x waits for a connection's first
     * bytes to tell the protocols apart before it hands the connection over, so a socket that sends nothing would
     * never be counted. Browsers and OpenAI clients speak HTTP/1.1 to an http:// address anyway.
     */
    public HttpServer server(Vertx vertx, HttpServerOptions options) {
        return vertx.createHttpServer(options.setHttp2ClearTextEnabled(false)).connectionHandler(this);
    }

    @Override
    public void handle(HttpConnection connection) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.increment();
            if (reported.compareAndSet(false, true)) {
                LOG.warn("the {} listener has {} connections open ({}) and closes further ones as they arrive; every one is"
                        + " counted in chorus_validator_connections_refused_total{listener=\"{}\"}. Raise {} if they are"
                        + " your own clients, or find who holds the connections open", listener, max, setting, listener,
                        setting);
            }
            connection.close();
            return;
        }
        connection.closeHandler(closed -> open.decrementAndGet());
    }
}
