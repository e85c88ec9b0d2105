package dev.chorus.validator.hardening;

import dev.chorus.config.AdminSettings;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.OrganicSettings;
import dev.chorus.validator.admin.AdminServer;
import dev.chorus.validator.admin.Readiness;
import dev.chorus.validator.organic.OrganicMetrics;
import dev.chorus.validator.organic.OrganicRounds;
import dev.chorus.validator.organic.OrganicServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that open sockets and then fall silent, on both validator listeners: at most max_connections are open at
 * once (one more is closed as it arrives, and counted), and a silent connection is closed after the idle timeout,
 * which frees its place. Without both, such clients hold file descriptors for as long as they like.
 */
class ListenerLimitsIT {

    private static final int MAX_CONNECTIONS = 3;
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.close().await();
    }

    @Test
    void adminListenerClosesConnectionsBeyondItsCapAndSilentOnes() throws Exception {
        Duration idle = Duration.ofSeconds(2);
        AdminSettings settings = ConfigLoader.load(AdminSettings.defaults(), Optional.empty(), Map.of(), Map.of(
                "port", "0", "idle_timeout", idle.toMillis() + "ms", "max_connections", Integer.toString(MAX_CONNECTIONS)));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AdminServer admin = new AdminServer(vertx, settings, "", registry, () -> Map.of("mode", "validating"),
                Readiness::ok, router -> { });
        int port = admin.start().await();
        try {
            assertCappedAndIdleClosed(port, "GET /health/live HTTP/1.1", "200", idle, registry, "admin");
        } finally {
            admin.stop().await();
        }
    }

    @Test
    void organicListenerClosesConnectionsBeyondItsCapAndSilentOnes() throws Exception {
        OrganicSettings settings = ConfigLoader.load(OrganicSettings.defaults(), Optional.empty(), Map.of(), Map.of(
                "enabled", "true", "port", "0", "deadline", "1s", "max_deadline", "1s",
                "max_connections", Integer.toString(MAX_CONNECTIONS)));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The limits act on sockets, before any request reaches a round: these rounds have no miners, scorer or pool.
        OrganicRounds rounds = new OrganicRounds(settings, 1, "0x" + "0".repeat(40), null, null, null, null, new Random(1));
        String key = "listener-limits-key-0123456789abcdef";
        OrganicServer organic = OrganicServer.create(vertx, settings, rounds, Map.of("CHORUS_API_KEY", key),
                new OrganicMetrics(registry));
        int port = organic.start().await();
        try {
            // The organic listener closes a connection silent for twice organic.max_deadline. The requests carry the
            // key: the listener closes a connection at once after refusing one without a key.
            assertCappedAndIdleClosed(port, "GET /v1/models HTTP/1.1\r\nAuthorization: Bearer " + key, "200",
                    settings.maxDeadline().multipliedBy(2), registry, "organic");
        } finally {
            organic.stop(Duration.ZERO).await();
        }
    }

    /**
     * Fills the listener with {@link #MAX_CONNECTIONS} connections that each get one answer (so the listener has
     * surely counted them) and then say nothing; one more is closed at once; the silent ones are closed after
     * {@code idle}; then there is room again.
     */
    private static void assertCappedAndIdleClosed(int port, String request, String status, Duration idle,
                                                  MeterRegistry registry, String listener) throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                Socket socket = connect(port);
                held.add(socket);
                assertThat(exchange(socket, request)).as("connection %d of %d is served", i + 1, MAX_CONNECTIONS)
                        .startsWith("HTTP/1.1 " + status);
            }
            long heldSince = System.nanoTime();

            try (Socket extra = connect(port)) {
                long closedAfter = millisUntilClosed(extra, idle.dividedBy(2));
                assertThat(closedAfter).as("a connection beyond %d is closed as it arrives, not by the idle timeout",
                        MAX_CONNECTIONS).isLessThan(idle.dividedBy(2).toMillis());
            }
            Counter refused = registry.find("chorus_validator_connections_refused").tag("listener", listener)
                    .tag("limit", "max_connections").counter();
            assertThat(refused).as("chorus_validator_connections_refused_total{listener=%s,limit=max_connections}", listener)
                    .isNotNull();
            assertThat(refused.count()).isEqualTo(1.0);

            for (Socket socket : held) {
                millisUntilClosed(socket, idle.plusSeconds(10));
            }
            long silentFor = Duration.ofNanos(System.nanoTime() - heldSince).toMillis();
            assertThat(silentFor).as("silent connections are closed by the idle timeout, not before")
                    .isBetween(idle.toMillis() / 2, idle.toMillis() + 10_000);
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        try (Socket again = connect(port)) {
            assertThat(exchange(again, request)).as("room again once the silent ones are gone").startsWith("HTTP/1.1 " + status);
        }
    }

    private static Socket connect(int port) throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), port);
    }

    /**
     * Sends one keep-alive request and returns the response's status line; the connection stays open.
     *
     * @param request the request line, and any header lines but {@code Host}, without the final line break
     */
    private static String exchange(Socket socket, String request) throws IOException {
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write((request + "\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString().strip();
    }

    /** Reads (and drops) what is left until the server closes the connection; fails if it stays open past {@code patience}. */
    private static long millisUntilClosed(Socket socket, Duration patience) throws IOException {
        long start = System.nanoTime();
        socket.setSoTimeout((int) patience.toMillis());
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // the rest of an earlier response
            }
        } catch (SocketTimeoutException open) {
            throw new AssertionError("the listener kept a silent connection open for " + patience.toMillis() + " ms");
        } catch (SocketException reset) {
            // closed with a reset: closed all the same
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
