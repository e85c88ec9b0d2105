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

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who the admin endpoints answer. Bound beyond loopback: no start without a token of 32 characters, and 401 for a
 * missing or wrong one. On loopback, where no token is asked: 403 for a request whose {@code Host} names anything but
 * this machine, as a DNS-rebinding page's requests do.
 */
class AdminAccessIT {

    private static final String TOKEN = "s3cret-admin-token-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Vertx vertx;
    private static AdminServer exposed;
    private static AdminServer loopback;
    private static AdminServer loopbackWithOwnName;
    private static AdminServer loopbackAnyName;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        exposed = server("0.0.0.0", TOKEN);
        exposed.start().await();
        loopback = server("127.0.0.1", "");
        loopback.start().await();
        loopbackWithOwnName = server("127.0.0.1", "", " Validator.LAN. ");
        loopbackWithOwnName.start().await();
        loopbackAnyName = server("127.0.0.1", "", "*");
        loopbackAnyName.start().await();
    }

    @AfterAll
    static void stop() {
        exposed.stop().await();
        loopback.stop().await();
        loopbackWithOwnName.stop().await();
        loopbackAnyName.stop().await();
        vertx.close().await();
    }

    private static AdminServer server(String host, String token) {
        return server(host, token, AdminSettings.defaults().allowedHosts());
    }

    private static AdminServer server(String host, String token, String allowedHosts) {
        AdminSettings defaults = AdminSettings.defaults();
        AdminSettings settings = new AdminSettings(host, 0, defaults.tokenEnv(), defaults.idleTimeout(), defaults.maxConnections(),
                defaults.maxConnectionsPerNetwork(), "", "", allowedHosts, defaults.historyRounds());
        return new AdminServer(vertx, settings, token, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> Map.of("mode", "validating"), Readiness::ok, router -> { });
    }

    @Test
    void refusesToStartOffLoopbackWithoutAToken() {
        assertThatThrownBy(() -> server("0.0.0.0", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need a token");
        assertThatThrownBy(() -> server("10.1.2.3", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need a token");
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

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/status", "/metrics", "/health/ready", "/no-such-route"})
    void onLoopbackARequestNamingAnotherHostIsRefused(String path) throws Exception {
        int port = loopback.port();
        for (String host : new String[]{"attacker.example", "attacker.example:" + port, "127.0.0.1.attacker.example",
                "localhost.attacker.example", "validator.lan"}) {
            String reply = rawGet(port, path, "Host: " + host + "\r\n");
            assertThat(reply).as("Host %s", host).startsWith("HTTP/1.1 403")
                    .contains("is not one of admin.allowed_hosts (localhost)");
        }
    }

    @Test
    void onLoopbackRequestsNamingThisMachineAreAnswered() throws Exception {
        int port = loopback.port();
        for (String host : new String[]{"localhost", "localhost:" + port, "LocalHost.:" + port, "127.0.0.1:" + port,
                "[::1]:" + port, "10.20.30.40"}) {
            assertThat(rawGet(port, "/api/status", "Host: " + host + "\r\n")).as("Host %s", host).startsWith("HTTP/1.1 200");
        }
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("a client going to localhost").isEqualTo(200);
    }

    @Test
    void onLoopbackTheListedNamesPassAndStarLetsAnyPass() throws Exception {
        int own = loopbackWithOwnName.port();
        assertThat(rawGet(own, "/api/status", "Host: validator.lan:" + own + "\r\n")).startsWith("HTTP/1.1 200");
        assertThat(rawGet(own, "/api/status", "Host: VALIDATOR.lan.\r\n")).startsWith("HTTP/1.1 200");
        assertThat(rawGet(own, "/api/status", "Host: localhost\r\n")).as("localhost is not in this list")
                .startsWith("HTTP/1.1 403").contains("(validator.lan)");
        int any = loopbackAnyName.port();
        assertThat(rawGet(any, "/api/status", "Host: attacker.example\r\n")).startsWith("HTTP/1.1 200");
    }

    @Test
    void offLoopbackTheTokenDecidesWhateverTheHost() throws Exception {
        int port = exposed.port();
        assertThat(rawGet(port, "/api/status", "Host: attacker.example\r\nAuthorization: Bearer " + TOKEN + "\r\n"))
                .startsWith("HTTP/1.1 200");
        assertThat(rawGet(port, "/api/status", "Host: localhost\r\n")).startsWith("HTTP/1.1 401");
    }

    @Test
    void anUnknownPathOrMethodIsAnsweredWithJsonNamingTheRoutes() throws Exception {
        String routes = "GET /, GET /api/status, GET /metrics, GET /health/live, GET /health/ready";
        HttpResponse<String> unknown = get(loopback, "/no-such-route", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(unknown.body()).isEqualTo("{\"error\":\"no such path /no-such-route; the admin listener serves " + routes + "\"}");

        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + loopback.port()
                + "/api/status")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("allow")).hasValue("GET");
        assertThat(post.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(post.body()).isEqualTo("{\"error\":\"POST is not allowed on /api/status; use GET (the admin listener"
                + " serves " + routes + ")\"}");

        assertThat(get(exposed, "/no-such-route", "Bearer " + TOKEN).body()).as("with the token, off loopback")
                .contains("no such path /no-such-route");
        assertThat(get(exposed, "/no-such-route", null).body()).as("the token is checked first")
                .doesNotContain("/api/status");
    }

    /** The whole reply to a GET sent with exactly the given header lines (java.net.http will not send a chosen Host). */
    private static String rawGet(int port, String path, String headerLines) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\n" + headerLines + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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
