package dev.chorus.validator.organic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.config.IpLiteral;
import dev.chorus.config.OrganicSettings;
import dev.chorus.miner.server.ConnectionGate;
import dev.chorus.validator.ListenerTls;
import dev.chorus.validator.ServedRoutes;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The organic listener, apart from the admin one: {@code POST /v1/ask}, {@code POST /v1/chat/completions} and
 * {@code GET /v1/models}. Every {@code /v1} request is read (up to the body limit), then admitted by the
 * {@link AccessGate}, then answered; refusals are JSON in the OpenAI error shape
 * ({@code {"error": {"message", "type", "code"}}}) with 401, 413, 429 (with Retry-After), 400, 404, 405 (with Allow)
 * or 503.
 */
public final class OrganicServer {

    private static final ObjectMapper JSON = ChatCompletions.JSON;
    private static final String PASS = "chorus.organic.pass";

    private final Vertx vertx;
    private final OrganicSettings settings;
    private final OrganicRounds rounds;
    private final AccessGate gate;
    private final OrganicMetrics metrics;
    private volatile HttpServer server;
    private String deployment;

    OrganicServer(Vertx vertx, OrganicSettings settings, OrganicRounds rounds, AccessGate gate, OrganicMetrics metrics) {
        this.vertx = vertx;
        this.settings = settings;
        this.rounds = rounds;
        this.gate = gate;
        this.metrics = metrics;
    }

    /**
     * @param env where the API keys are read from (the variables named by {@code organic.api_key_envs})
     * @throws IllegalArgumentException as {@link #checkApiKeys}
     */
    public static OrganicServer create(Vertx vertx, OrganicSettings settings, OrganicRounds rounds,
                                       Map<String, String> env, OrganicMetrics metrics) {
        LongSupplier clock = System::nanoTime;
        return new OrganicServer(vertx, settings, rounds,
                AccessGate.fromEnvironment(settings, env, rounds.budget(), clock), metrics);
    }

    /**
     * Checks the API keys without starting anything, so that a validator can refuse them before its long start.
     *
     * @throws IllegalArgumentException when none of the variables of {@code organic.api_key_envs} holds a key, or a
     *                                  key is too short to be safe, saying what to set
     */
    public static void checkApiKeys(OrganicSettings settings, Map<String, String> env) {
        AccessGate.readKeys(settings, env);
    }

    /** Binds the listener; the future holds the port. */
    public Future<Integer> start() {
        Router router = Router.router(vertx);
        // The key is checked before the body is read, and a refusal there closes the connection once it is sent, so
        // a client without a key cannot hold a connection open by sending a body slowly (each byte would restart the
        // idle timeout); the check is synchronous, so the body handler still sees the whole request.
        router.route("/v1/*").handler(this::admit);
        // Every body is read as JSON, whatever its content type says. curl -d (the README's example) labels it a form,
        // and the body handler would have Vert.x decode it as form fields, refusing with a bare 400 any JSON body that
        // holds a '%' starting no escape or is longer than a kilobyte.
        router.route("/v1/*").handler(ctx -> {
            ctx.request().headers().remove(HttpHeaders.CONTENT_TYPE);
            ctx.next();
        });
        router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()));
        router.post("/v1/ask").handler(this::ask);
        router.post("/v1/chat/completions").handler(this::chat);
        router.get("/v1/models").handler(ctx -> send(ctx, 200, Map.of("object", "list", "data", List.of(Map.of(
                "id", ChatCompletions.MODEL, "object", "model", "created", 0, "owned_by", "chorus")))));
        router.errorHandler(413, ctx -> refuse(ctx, new OrganicRefused(OrganicRefused.Reason.TOO_LARGE,
                "the request body is larger than " + settings.maxBodyBytes() + " bytes; send a shorter prompt")));
        ServedRoutes served = ServedRoutes.of(router);
        router.errorHandler(405, ctx -> {
            String allowed = served.allowed(ctx.normalizedPath());
            ctx.response().putHeader("allow", allowed);
            refuse(ctx, new OrganicRefused(OrganicRefused.Reason.METHOD_NOT_ALLOWED, ctx.request().method()
                    + " is not allowed on " + ctx.normalizedPath() + "; use " + allowed));
        });
        // Not a last() route that takes every request: it would answer 404 before the router could tell a
        // known path asked with the wrong method (405) from an unknown one.
        router.errorHandler(404, ctx -> refuse(ctx, new OrganicRefused(OrganicRefused.Reason.NOT_FOUND,
                "no such endpoint " + ctx.normalizedPath() + "; this API serves " + served.describe())));
        router.errorHandler(500, ctx -> {
            OrganicLog.requestFailed(ctx.request().path(), ctx.failure());
            metrics.failed();
            error(ctx, 500, "internal validator error; the operator's log has the details", "server_error", "internal_error", 0);
        });
        // Deployed as a verticle so that the organic listener has an event loop of its own: a flood of requests
        // (or of refusals) then queues there, not on the loop that runs the synthetic rounds.
        return vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                // No exchange is silent for longer than the longest deadline a request may ask for; a connection
                // that is, twice over, is a client holding it open, and is closed.
                HttpServerOptions options = new HttpServerOptions()
                        .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, settings.maxDeadline().multipliedBy(2).toMillis()))
                        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
                ConnectionGate gate = new ConnectionGate(vertx, "the organic listener", new ConnectionGate.Limits(
                        "organic.", settings.maxConnections(), OptionalInt.of(settings.maxConnectionsPerNetwork()),
                        Optional.empty()),
                        new ConnectionGate.Meters("chorus_validator_connections", "chorus_validator_connections_refused",
                                Tags.of("listener", "organic")), metrics.registry());
                ListenerTls tls = new ListenerTls("organic.", settings.tlsCertFile(), settings.tlsKeyFile());
                tls.warnIfPlainOffLoopback(settings.host(), "API keys and prompts");
                return gate.server(tls.apply(options))
                        .requestHandler(router).listen(settings.port(), settings.host())
                        .recover(e -> Future.failedFuture(e instanceof java.net.BindException
                                ? new IllegalStateException("the organic API cannot listen on "
                                        + IpLiteral.withPort(settings.host(), settings.port()) + " (" + e.getMessage() + "): another process holds the port, or the"
                                        + " address is not one of this machine's; stop it or set organic.port (0 for any free"
                                        + " one) or organic.host", e)
                                : tls.explain(e)))
                        .onSuccess(s -> server = s);
            }
        }).map(id -> {
            deployment = id;
            OrganicLog.listening(url(), gate.keyCount());
            return server.actualPort();
        });
    }

    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    /**
     * Takes no new connection and lets the requests in flight be answered, for {@code grace} at most (what their
     * rounds are given to end), then closes the listener: a client asking at a stop gets its answer, where closing
     * at once would cut its connection with the round it asked for still running.
     */
    public Future<Void> stop(Duration grace) {
        if (deployment == null) {
            return Future.succeededFuture();
        }
        return server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS).eventually(() -> vertx.undeploy(deployment));
    }

    /** The {@code organic} object of the validator's status document. */
    public Map<String, Object> status() {
        Map<String, Object> doc = new LinkedHashMap<>(metrics.status());
        doc.put("port", port());
        return doc;
    }

    /** Where a client on this machine reaches the listener: https with TLS, loopback when bound to every address. */
    public String url() {
        return new ListenerTls("organic.", settings.tlsCertFile(), settings.tlsKeyFile()).url(settings.host(), port());
    }

    /** A command line a person on this machine can paste to try the API; the key stays in its environment variable. */
    public String exampleCurl() {
        String keyEnv = settings.apiKeyEnvNames().isEmpty() ? "CHORUS_API_KEY" : settings.apiKeyEnvNames().get(0);
        return "curl -s " + url() + "/v1/ask -H \"Authorization: Bearer $" + keyEnv + "\""
                + " -H 'content-type: application/json'"
                + " -d '{\"prompt\": \"At what temperature does water boil at sea level?\", \"max_miners\": 8}'";
    }

    private void admit(RoutingContext ctx) {
        try {
            ctx.put(PASS, gate.admit(ctx.request().getHeader("authorization")));
            // Only for a request refused or failed before its round starts: the end handler also runs when the client
            // hangs up, and a round goes on asking miners and scoring after that, so a round frees its own slot.
            ctx.addEndHandler(done -> {
                AccessGate.Pass unused = ctx.get(PASS);
                if (unused != null) {
                    unused.release();
                }
            });
            ctx.next();
        } catch (OrganicRefused refused) {
            // The header alone does not close the connection, but without it a client's pool may reuse the
            // connection for its next request before it sees the close, and that request fails unanswered.
            ctx.response().putHeader("connection", "close");
            refuse(ctx, refused).onComplete(sent -> ctx.request().connection().close());
        }
    }

    /** Starts the request's round, which from then on holds the request's slot until it completes. */
    private Future<ConsensusAnswer> round(RoutingContext ctx, AskRequest request) {
        Future<ConsensusAnswer> round = rounds.ask(request);
        AccessGate.Pass pass = ctx.remove(PASS);
        return round.onComplete(done -> pass.release());
    }

    private void ask(RoutingContext ctx) {
        AskRequest request;
        try {
            request = AskRequest.fromJson(body(ctx), settings);
        } catch (OrganicRefused refused) {
            refuse(ctx, refused);
            return;
        }
        answer(ctx, request, answer -> answer);
    }

    private void chat(RoutingContext ctx) {
        ChatCompletions.Request chat;
        AskRequest request;
        try {
            chat = ChatCompletions.parse(body(ctx));
            request = ChatCompletions.toAsk(chat, settings);
        } catch (OrganicRefused refused) {
            refuse(ctx, refused);
            return;
        }
        if (Boolean.TRUE.equals(chat.stream())) {
            long started = System.nanoTime();
            round(ctx, request).onComplete(result -> {
                if (result.succeeded()) {
                    metrics.answered(Duration.ofNanos(System.nanoTime() - started), result.result().agreement());
                    stream(ctx, ChatCompletions.chunks(result.result(), chat.model(), System.currentTimeMillis() / 1000));
                } else {
                    failed(ctx, result.cause());
                }
            });
            return;
        }
        answer(ctx, request, answer -> ChatCompletions.response(answer, request, chat.model(),
                System.currentTimeMillis() / 1000));
    }

    private void stream(RoutingContext ctx, List<ChatCompletions.Chunk> chunks) {
        StringBuilder events = new StringBuilder();
        try {
            for (ChatCompletions.Chunk chunk : chunks) {
                events.append("data: ").append(JSON.writeValueAsString(chunk)).append("\n\n");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the organic response", e);
        }
        events.append("data: [DONE]\n\n");
        ctx.response().setStatusCode(200).putHeader("content-type", "text/event-stream")
                .putHeader("cache-control", "no-cache").end(events.toString());
    }

    private void answer(RoutingContext ctx, AskRequest request, Function<ConsensusAnswer, Object> shape) {
        long started = System.nanoTime();
        round(ctx, request).onComplete(result -> {
            if (result.succeeded()) {
                metrics.answered(Duration.ofNanos(System.nanoTime() - started), result.result().agreement());
                send(ctx, 200, shape.apply(result.result()));
            } else {
                failed(ctx, result.cause());
            }
        });
    }

    private void failed(RoutingContext ctx, Throwable cause) {
        if (cause instanceof OrganicRefused refused) {
            refuse(ctx, refused);
        } else {
            ctx.fail(500, cause);
        }
    }

    private JsonNode body(RoutingContext ctx) {
        byte[] bytes = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        String text;
        try {
            // Buffer.toString would put U+FFFD in place of bytes that are not UTF-8, and ask the miners another question.
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw AskRequest.bad("the body is not UTF-8; send the JSON encoded as UTF-8");
        }
        if (text.isBlank()) {
            throw AskRequest.bad("the request has no body; send a JSON object");
        }
        // Read through a parser rather than with FAIL_ON_TRAILING_TOKENS, whose message names Jackson's feature
        // instead of saying what the client did wrong.
        try (JsonParser parser = JSON.createParser(text)) {
            JsonNode tree = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                throw AskRequest.bad("the body goes on after its JSON object; send exactly one JSON object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw AskRequest.bad("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a request body held in memory", e);
        }
    }

    private Future<Void> refuse(RoutingContext ctx, OrganicRefused refused) {
        metrics.refused(refused.reason());
        OrganicRefused.Reason reason = refused.reason();
        String type = switch (reason.status()) {
            case 401 -> "authentication_error";
            case 429 -> "rate_limit_error";
            case 503 -> "service_unavailable";
            default -> "invalid_request_error";
        };
        if (reason.status() == 401) {
            ctx.response().putHeader("www-authenticate", "Bearer");
        }
        return error(ctx, reason.status(), refused.getMessage(), type, reason.code(), refused.retryAfterSeconds());
    }

    private Future<Void> error(RoutingContext ctx, int status, String message, String type, String code, long retryAfter) {
        if (ctx.response().ended()) {
            return Future.succeededFuture();
        }
        if (retryAfter > 0 && (status == 429 || status == 503)) {
            ctx.response().putHeader("retry-after", Long.toString(retryAfter));
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("code", code);
        return send(ctx, status, Map.of("error", error));
    }

    private Future<Void> send(RoutingContext ctx, int status, Object document) {
        if (ctx.response().ended()) {
            return Future.succeededFuture();
        }
        String text;
        try {
            text = JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the organic response", e);
        }
        return ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(text);
    }
}
