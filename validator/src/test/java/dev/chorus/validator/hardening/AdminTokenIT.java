package dev.chorus.validator.hardening;

import dev.chorus.config.AdminSettings;
import dev.chorus.validator.admin.AdminServer;
import dev.chorus.validator.admin.Readiness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Admin endpoints bound beyond loopback: no start without a token of 32 characters, and 401 for a missing or wrong one. */
class AdminTokenIT {

    private static final String TOKEN = "s3cret-admin-token-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Vertx vertx;
    private static AdminServer exposed;
    private static AdminServer loopback;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        exposed = server("0.0.0.0", TOKEN);
        exposed.start().await();
        loopback = server("127.0.0.1", "");
        loopback.start().await();
    }

    @AfterAll
    static void stop() {
        exposed.stop().await();
        loopback.stop().await();
        vertx.close().await();
    }

    private static AdminServer server(String host, String token) {
        AdminSettings defaults = AdminSettings.defaults();
        AdminSettings settings = new AdminSettings(host, 0, defaults.tokenEnv(), defaults.idleTimeout(), defaults.maxConnections(),
                "", "");
        return new AdminServer(vertx, settings, token, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> Map.of("mode", "validating"), Readiness::ok, router -> { });
    }

    @Test
    void refusesToStartOffLoopbackWithoutAToken() {
        assertThatThrownBy(() -> server("0.0.0.0", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need a token");
        assertThatThrownBy(() -> server("10.1.2.3", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesToStartOffLoopbackWithATokenShorterThan32Characters() {
        assertThatThrownBy(() -> server("0.0.0.0", "t".repeat(31))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorter than 32 characters").hasMessageContaining("openssl rand -hex 32");
        AdminServer enough = server("0.0.0.0", "t".repeat(32));
        assertThat(enough).as("32 characters are enough").isNotNull();
        assertThat(server("127.0.0.1", "short")).as("on loopback the token is not used").isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/status", "/metrics", "/health/live", "/health/ready", "/no-such-route"})
    void everyRouteNeedsTheRightTokenOffLoopback(String path) throws Exception {
        assertThat(get(exposed, path, null).statusCode()).as("no token").isEqualTo(401);
        assertThat(get(exposed, path, "Bearer wrong-token").statusCode()).as("wrong token").isEqualTo(401);
        assertThat(get(exposed, path, "Bearer " + TOKEN + "x").statusCode()).as("token with a suffix").isEqualTo(401);
        assertThat(get(exposed, path, TOKEN).statusCode()).as("token without Bearer").isEqualTo(401);
        if (!path.equals("/no-such-route")) {
            assertThat(get(exposed, path, "Bearer " + TOKEN).statusCode()).as("right token").isEqualTo(200);
            assertThat(get(loopback, path, null).statusCode()).as("loopback needs none").isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(AdminServer server, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
