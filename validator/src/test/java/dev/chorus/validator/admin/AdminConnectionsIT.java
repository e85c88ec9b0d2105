package dev.chorus.validator.admin;

import dev.chorus.config.AdminSettings;
import dev.chorus.validator.testing.RawHttpConnection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin listener's gate over raw sockets: a request it refuses before reading the body (401 off loopback, 403 for
 * a foreign Host on loopback) has its connection closed, so clients without the token cannot hold every connection by
 * trickling the bodies they announced; and the token is compared as the organic keys are (trimmed, any-case scheme).
 */
class AdminConnectionsIT {

    private static final String TOKEN = "admin-connections-token-0123456789abcdef";

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void requestsWithoutTheTokenAreAnsweredAndTheirConnectionsClosedBeforeTheirBodiesArrive() throws Exception {
        AdminServer admin = start("0.0.0.0", TOKEN, 2);
        List<RawHttpConnection> attackers = new ArrayList<>();
        try {
            for (int k = 0; k < 2; k++) {
                RawHttpConnection attacker = RawHttpConnection.open(admin.port());
                attacker.write("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\na");
                attackers.add(attacker);
            }
            for (RawHttpConnection attacker : attackers) {
                assertThat(attacker.readUntilClosed()).startsWith("HTTP/1.1 401").contains("Authorization: Bearer <token>")
                        .containsIgnoringCase("connection: close");
            }
            // Both connections of max_connections are free again, long before the 30 s idle timeout would free them.
            assertThat(RawHttpConnection.statusOnceRoomIsFree(admin.port(), "GET /health/live HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + TOKEN + "\r\n\r\n", Duration.ofSeconds(2))).isEqualTo("HTTP/1.1 200 OK");
        } finally {
            for (RawHttpConnection attacker : attackers) {
                attacker.close();
            }
        }
    }

    /** Unlike a body's bytes, those of an unfinished head do not restart the idle timeout (Vert.x 5), so no check is needed. */
    @Test
    void aRequestHeadSentAByteAtATimeIsCutOffAfterTheIdleTimeout() throws Exception {
        AdminServer admin = start("0.0.0.0", TOKEN, 64, Duration.ofSeconds(1));
        try (RawHttpConnection trickler = RawHttpConnection.open(admin.port())) {
            assertThat(trickler.trickleUntilClosed(Duration.ofSeconds(4)).toMillis()).as("held for (ms)")
                    .isBetween(900L, 2500L);
        }
    }

    @Test
    void oneHostCannotTakeEveryConnection() throws Exception {
        AdminServer admin = start("0.0.0.0", TOKEN, 64, Duration.ofSeconds(30), 2);
        RawHttpConnection.assertTwoPerNetwork(admin.port(),
                "GET /health/live HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN + "\r\n\r\n");
    }

    @Test
    void aForeignHostOnLoopbackIsAnsweredAndItsConnectionClosedBeforeItsBodyArrives() throws Exception {
        AdminServer admin = start("127.0.0.1", "", 64);
        try (RawHttpConnection page = RawHttpConnection.open(admin.port())) {
            page.write("GET /api/status HTTP/1.1\r\nHost: rebound.example\r\nContent-Length: 1000000\r\n\r\na");
            assertThat(page.readUntilClosed()).startsWith("HTTP/1.1 403").contains("admin.allowed_hosts");
        }
    }

    @Test
    void aTokenReadWithATrailingNewlineMatchesTheHeaderWhateverTheSchemeCase() throws Exception {
        AdminServer admin = start("0.0.0.0", TOKEN + "\n", 64);
        for (String authorization : new String[]{"Bearer " + TOKEN, "bearer " + TOKEN, "BEARER  " + TOKEN}) {
            try (RawHttpConnection operator = RawHttpConnection.open(admin.port())) {
                operator.write("GET /health/live HTTP/1.1\r\nHost: x\r\nAuthorization: " + authorization + "\r\n\r\n");
                assertThat(operator.statusLine()).as(authorization).isEqualTo("HTTP/1.1 200 OK");
            }
        }
        for (String authorization : new String[]{"Bearer " + TOKEN + "x", "Basic " + TOKEN, TOKEN}) {
            try (RawHttpConnection other = RawHttpConnection.open(admin.port())) {
                other.write("GET /health/live HTTP/1.1\r\nHost: x\r\nAuthorization: " + authorization + "\r\n\r\n");
                assertThat(other.statusLine()).as(authorization).isEqualTo("HTTP/1.1 401 Unauthorized");
            }
        }
    }

    @Test
    void theUrlNamesLoopbackForAWildcardBindAndTheBoundHostOtherwise() {
        AdminServer wildcard = start("0.0.0.0", TOKEN, 64);
        assertThat(wildcard.url()).isEqualTo("http://127.0.0.1:" + wildcard.port());
        AdminServer bound = start("127.0.0.1", "", 64);
        assertThat(bound.url()).isEqualTo("http://127.0.0.1:" + bound.port());
    }

    private AdminServer start(String host, String token, int maxConnections) {
        return start(host, token, maxConnections, Duration.ofSeconds(30));
    }

    private AdminServer start(String host, String token, int maxConnections, Duration idleTimeout) {
        return start(host, token, maxConnections, idleTimeout, maxConnections);
    }

    private AdminServer start(String host, String token, int maxConnections, Duration idleTimeout, int perNetwork) {
        AdminSettings d = AdminSettings.defaults();
        AdminSettings settings = new AdminSettings(host, 0, d.tokenEnv(), idleTimeout, maxConnections, perNetwork, "", "",
                d.allowedHosts(), d.historyRounds());
        AdminServer admin = new AdminServer(vertx, settings, token, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> Map.of("mode", "validating"), Readiness::ok, router -> { });
        admin.start().await();
        return admin;
    }
}
