package dev.chorus.validator.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.chorus.config.AdminSettings;
import dev.chorus.config.IpLiteral;
import dev.chorus.miner.server.ConnectionGate;
import dev.chorus.validator.ListenerTls;
import dev.chorus.validator.ServedRoutes;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Serves {@code /} (dashboard), {@code /api/status}, {@code /metrics}, {@code /health/live} and
 * {@code /health/ready}. When bound to anything but loopback, every route needs
 * {@code Authorization: Bearer <token>}; on loopback, where no token is asked, a request must name this machine in its
 * {@code Host} header (an IP literal or one of {@code admin.allowed_hosts}). Silent connections are closed after
 * {@code admin.idle_timeout}, at most {@code admin.max_connections} are open at once and
 * {@code admin.max_connections_per_network} from one sender network, and a request refused before its body is read
 * has its connection closed once answered. An unknown path (404) or method (405, with {@code Allow}) is answered with
 * JSON naming the paths and methods served.
 */
public final class AdminServer {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final Vertx vertx;
    private final AdminSettings settings;
    private final String token;
    private final PrometheusMeterRegistry registry;
    private final Supplier<Object> status;
    private final Supplier<Readiness> readiness;
    private final Consumer<Router> extraRoutes;
    private HttpServer server;

    /**
     * @param token       required when {@code admin.host} is not loopback, at least {@link AdminSettings#MIN_TOKEN_CHARS}
     *                    characters; may be empty otherwise
     * @param status      builds the /api/status document (serialized with snake_case names); called on the event loop, must not block
     * @param extraRoutes adds routes of other features (organic queries) to the same router
     */
    public AdminServer(Vertx vertx, AdminSettings settings, String token, PrometheusMeterRegistry registry,
                       Supplier<Object> status, Supplier<Readiness> readiness, Consumer<Router> extraRoutes) {
        String host = settings.host();
        if (!isLoopback(host) && (token == null || token.isBlank())) {
            throw new IllegalArgumentException("admin.host " + host + " is not loopback, so the admin endpoints need a token: "
                    + "put one in the environment variable that admin.token_env names (CHORUS_ADMIN_TOKEN unless you changed it),"
                    + " or bind admin.host to 127.0.0.1; make a token with `openssl rand -hex 32`");
        }
        if (!isLoopback(host) && token.trim().length() < AdminSettings.MIN_TOKEN_CHARS) {
            throw new IllegalArgumentException("admin.host " + host + " is not loopback, and the admin token (in the environment"
                    + " variable that admin.token_env names) is shorter than " + AdminSettings.MIN_TOKEN_CHARS + " characters,"
                    + " short enough to guess; make one with `openssl rand -hex 32`");
        }
        this.vertx = vertx;
        this.settings = settings;
        // A token read from a file (a Kubernetes secret) often ends in a newline that no header can carry.
        this.token = token == null ? "" : token.trim();
        this.registry = registry;
        this.status = status;
        this.readiness = readiness;
        this.extraRoutes = extraRoutes;
    }

    public Future<Integer> start() {
        String host = settings.host();
        Router router = Router.router(vertx);
        if (isLoopback(host)) {
            router.route().handler(this::requireAllowedHost);
        } else {
            router.route().handler(this::requireToken);
        }
        String dashboard = resource("/dashboard/index.html");
        router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8")
                .putHeader("cache-control", "no-store").end(dashboard));
        router.get("/api/status").handler(this::status);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
        router.get("/health/live").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                .end("{\"live\":true}"));
        router.get("/health/ready").handler(this::ready);
        extraRoutes.accept(router);
        // These run only for a request that passed the Host or token check above, so they show no one else the routes.
        ServedRoutes served = ServedRoutes.of(router);
        router.errorHandler(404, ctx -> refuse(ctx, 404, "no such path " + ctx.normalizedPath()
                + "; the admin listener serves " + served.describe()));
        router.errorHandler(405, ctx -> {
            String allowed = served.allowed(ctx.normalizedPath());
            ctx.response().putHeader("allow", allowed);
            refuse(ctx, 405, ctx.request().method() + " is not allowed on " + ctx.normalizedPath() + "; use " + allowed
                    + " (the admin listener serves " + served.describe() + ")");
        });
        HttpServerOptions options = new HttpServerOptions().setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()));
        int port = settings.port();
        ConnectionGate gate = new ConnectionGate(vertx, "the admin listener", new ConnectionGate.Limits("admin.",
                settings.maxConnections(), OptionalInt.of(settings.maxConnectionsPerNetwork()), Optional.empty()),
                new ConnectionGate.Meters("chorus_validator_connections", "chorus_validator_connections_refused",
                        Tags.of("listener", "admin")), registry);
        ListenerTls tls = new ListenerTls("admin.", settings.tlsCertFile(), settings.tlsKeyFile());
        return gate.server(tls.apply(options))
                .requestHandler(router).listen(port, host)
                .recover(e -> Future.failedFuture(e instanceof java.net.BindException
                        ? new IllegalStateException("the admin server cannot listen on " + IpLiteral.withPort(host, port) + " (" + e.getMessage()
                                + "): another process holds the port, or the address is not one of this machine's; stop it or"
                                + " set admin.port (0 for any free one) or admin.host", e)
                        : tls.explain(e)))
                .map(s -> {
                    server = s;
                    return s.actualPort();
                });
    }

    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    /** Where a browser on this machine reaches the dashboard: https with TLS, loopback when bound to every address. */
    public String url() {
        return new ListenerTls("admin.", settings.tlsCertFile(), settings.tlsKeyFile()).url(settings.host(), port());
    }

    public Future<Void> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void status(RoutingContext ctx) {
        try {
            ctx.response().putHeader("content-type", "application/json").end(JSON.writeValueAsString(status.get()));
        } catch (JsonProcessingException e) {
            ctx.fail(500, e);
        }
    }

    private void ready(RoutingContext ctx) {
        Readiness state = readiness.get();
        ctx.response().setStatusCode(state.ready() ? 200 : 503).putHeader("content-type", "application/json")
                .end(state.ready() ? "{\"ready\":true}" : "{\"ready\":false,\"reason\":" + quote(state.reason()) + "}");
    }

    /** The scheme is matched in any case, as HTTP says; digests make the comparison's time independent of the lengths. */
    private void requireToken(RoutingContext ctx) {
        String header = ctx.request().getHeader("authorization");
        boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
        boolean match = MessageDigest.isEqual(sha256(bearer ? header.substring(7).trim() : ""), sha256(token));
        if (bearer && match) {
            ctx.next();
        } else {
            ctx.response().putHeader("www-authenticate", "Bearer");
            refuseAndClose(ctx, 401, "admin endpoints need 'Authorization: Bearer <token>' when not on loopback");
        }
    }

    /**
     * A browser always sends the name it resolved, and a page that rebinds its own name to 127.0.0.1 sends that name;
     * an address written out cannot be rebound, so it passes. A request without {@code Host} comes from no browser.
     */
    private void requireAllowedHost(RoutingContext ctx) {
        HostAndPort authority = ctx.request().authority();
        String name = authority == null ? "" : authority.host().toLowerCase(Locale.ROOT);
        String bare = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1)
                : name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        List<String> allowed = settings.allowedHostNames();
        if (authority == null || IpLiteral.parse(bare).isPresent() || allowed.contains("*") || allowed.contains(bare)) {
            ctx.next();
        } else {
            refuseAndClose(ctx, 403, "Host '" + bare + "' is not one of admin.allowed_hosts (" + String.join(",", allowed)
                    + "); if you reach this validator by that name (a proxy, an SSH tunnel, /etc/hosts), add it"
                    + " to admin.allowed_hosts");
        }
    }

    private static Future<Void> refuse(RoutingContext ctx, int status, String message) {
        return ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end("{\"error\":" + quote(message) + "}");
    }

    /**
     * For a refusal made before the body is read: left open, the connection would stay while the client trickles in
     * the body it announced, each byte restarting the idle timeout, and a few such clients would hold every connection.
     */
    private static void refuseAndClose(RoutingContext ctx, int status, String message) {
        // The header alone does not close the connection, but without it a client's pool may reuse the connection for
        // its next request before it sees the close, and that request fails unanswered.
        ctx.response().putHeader("connection", "close");
        refuse(ctx, status, message).onComplete(sent -> ctx.request().connection().close());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** From the text alone: the event loop calls this, and a DNS lookup there would block it. */
    static boolean isLoopback(String host) {
        return IpLiteral.isLoopbackHost(host);
    }

    private static String resource(String name) {
        try (InputStream in = AdminServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }
}
