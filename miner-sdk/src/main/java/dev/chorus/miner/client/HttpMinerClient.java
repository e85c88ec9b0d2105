package dev.chorus.miner.client;

import dev.chorus.chain.Neuron;
import dev.chorus.miner.protocol.CanonicalJson;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.EpistulaHeaders;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.MalformedMessageException;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.protocol.QueryResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link MinerClient} over Vert.x's HTTP client. It uses the core client rather than WebClient
 * because it must count response bytes as they arrive and reset the stream at the cap, instead of
 * buffering whatever a miner chooses to send until the deadline.
 */
public final class HttpMinerClient implements MinerClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpMinerClient.class);

    private final Vertx vertx;
    private final Hotkey validator;
    private final HttpMinerClientOptions options;
    private final InstantSource clock;
    private final HttpClient http;
    private final Context home;

    /**
     * How long an idle connection to a miner is kept. Below the miners' default server.header_read_timeout (30 s, and
     * a miner set below warns at start), so this side closes it first: were the miner to close it first, a query sent on it in that instant would be lost
     * as CONNECTION_LOST and cost an honest miner its score.
     */
    public static final Duration IDLE_CONNECTION = Duration.ofSeconds(20);

    /** Construct it on an event loop or on a thread outside Vert.x (then it picks an event loop). */
    public HttpMinerClient(Vertx vertx, Hotkey validator, HttpMinerClientOptions options) {
        this(vertx, validator, options, InstantSource.system());
    }

    public HttpMinerClient(Vertx vertx, Hotkey validator, HttpMinerClientOptions options, InstantSource clock) {
        this.vertx = vertx;
        this.validator = validator;
        this.options = options;
        this.clock = clock;
        this.home = vertx.getOrCreateContext();
        if (!home.isEventLoopContext()) {
            throw new IllegalStateException("create the HttpMinerClient on an event loop or outside Vert.x, not on a "
                    + "worker: its callbacks must run on an event loop");
        }
        this.http = vertx.httpClientBuilder()
                .with(new HttpClientOptions()
                        .setConnectTimeout((int) options.connectTimeout().toMillis())
                        .setKeepAlive(true)
                        .setKeepAliveTimeout((int) IDLE_CONNECTION.toSeconds()))
                .with(new PoolOptions().setHttp1MaxSize(options.maxPoolSize()))
                // The exchange on the connection records what went wrong; without a handler Vert.x logs an ERROR too.
                .withConnectHandler(connection -> connection.exceptionHandler(e ->
                        LOG.debug("connection to miner {} failed: {}", connection.remoteAddress(), e.toString())))
                .build();
    }

    /**
     * Safe from any thread. The exchange itself runs on an event loop, because a response listener
     * attached from another thread may run a tick late and miss the body.
     */
    @Override
    public Future<MinerAnswer> query(Neuron miner, QueryRequest query) {
        Context current = Vertx.currentContext();
        if (current != null && current.isEventLoopContext() && current.owner() == vertx) {
            return start(miner, query);
        }
        Promise<MinerAnswer> answer = Promise.promise();
        home.runOnContext(v -> start(miner, query).onComplete(answer));
        return answer.future();
    }

    private Future<MinerAnswer> start(Neuron miner, QueryRequest query) {
        long startNanos = System.nanoTime();
        try {
            return send(miner, query, startNanos);
        } catch (RuntimeException e) {
            return Future.succeededFuture(MinerAnswer.failed(miner.uid(), MinerAnswer.Failure.NOT_SERVING,
                    "cannot address this miner: " + e.getMessage(), elapsed(startNanos)));
        }
    }

    private Future<MinerAnswer> send(Neuron miner, QueryRequest query, long startNanos) {
        int uid = miner.uid();
        if (!miner.axon().isServing()) {
            return Future.succeededFuture(MinerAnswer.failed(uid, MinerAnswer.Failure.NOT_SERVING,
                    "no axon served", elapsed(startNanos)));
        }
        String minerHotkey = Epistula.normalizeAddress(miner.hotkey());
        long now = clock.millis();
        long budgetMs = query.deadline() - now;
        if (budgetMs <= 0) {
            return Future.succeededFuture(MinerAnswer.failed(uid, MinerAnswer.Failure.TIMEOUT,
                    "deadline already passed", elapsed(startNanos)));
        }
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(miner.axon().baseUrl() + "/v1/query")
                .setConnectTimeout(Math.min(budgetMs, options.connectTimeout().toMillis()))
                .putHeader("Content-Type", "application/json");

        Exchange exchange = new Exchange(uid, minerHotkey, query, startNanos);
        // The latency counts from the sending, so the detail says how much of the budget the miner had: a slow
        // signature (a cold JVM, a busy pool) reads otherwise as a contradiction between the two.
        long timer = vertx.setTimer(budgetMs, id -> exchange.fail(MinerAnswer.Failure.TIMEOUT,
                "no whole response within " + budgetMs + " ms of the query" + (exchange.sent == null
                        ? ", which was still waiting to be signed"
                        : " (" + elapsed(exchange.startNanos).toMillis() + " ms of them after it was signed)")));
        byte[] body = CanonicalJson.write(query);
        // A secp256k1 signature costs milliseconds: a round's worth signed on the event loop would stall every exchange.
        // The timestamp is read when the signing starts: the wait for the pool would otherwise age the request.
        vertx.executeBlocking(() -> Epistula.sign(validator, body, minerHotkey, clock.millis()), false)
                .compose(signed -> {
                    if (exchange.settled()) {
                        return Future.failedFuture(exchange.settledBeforeSending());
                    }
                    // The miner's time starts here: signing waits its turn on a shared pool, and a round's later uids
                    // would otherwise carry the earlier ones' signing in their latency.
                    exchange.startNanos = System.nanoTime();
                    exchange.sent = signed;
                    signed.asRequestHeaders().forEach(request::putHeader);
                    return http.request(request);
                })
                .compose(req -> {
                    if (exchange.settled()) {
                        req.reset();
                        return Future.failedFuture(exchange.settledBeforeSending());
                    }
                    exchange.request.set(req);
                    return req.send(Buffer.buffer(body));
                })
                .onSuccess(exchange::receive)
                .onFailure(exchange::transportFailed);
        return exchange.promise.future().onComplete(done -> vertx.cancelTimer(timer));
    }

    @Override
    public void close() {
        // Nothing is waiting on the client any more, so a failure to close its connections is only worth a debug line.
        http.close().onFailure(e -> LOG.debug("closing the HTTP client to miners failed: {}", e.toString()));
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** One query in flight; the first outcome (answer, failure, deadline) completes it. */
    private final class Exchange {
        final int uid;
        final String minerHotkey;
        final QueryRequest query;
        /** When the miner's time started: when the query was given, then again once it is signed and sent. */
        long startNanos;
        /** Set on the event loop once the request is signed, before it is sent. */
        EpistulaHeaders sent;
        final Promise<MinerAnswer> promise = Promise.promise();
        final AtomicReference<HttpClientRequest> request = new AtomicReference<>();

        Exchange(int uid, String minerHotkey, QueryRequest query, long startNanos) {
            this.uid = uid;
            this.minerHotkey = minerHotkey;
            this.query = query;
            this.startNanos = startNanos;
        }

        /**
         * Whether the deadline already settled this query, as it does when signing or connecting waited past it: the
         * query is then not sent, or the miner would spend its model on an answer no one waits for.
         */
        boolean settled() {
            return promise.future().isComplete();
        }

        /** What the chain of sending steps fails with once {@link #settled()}; the outcome itself is already set. */
        IllegalStateException settledBeforeSending() {
            return new IllegalStateException("query " + query.queryId() + " to uid " + uid + " settled before it was sent");
        }

        void fail(MinerAnswer.Failure failure, String detail) {
            if (promise.tryComplete(MinerAnswer.failed(uid, failure, detail, elapsed(startNanos)))) {
                HttpClientRequest inFlight = request.get();
                if (inFlight != null) {
                    inFlight.reset();
                }
            }
        }

        void transportFailed(Throwable cause) {
            if (cause instanceof ConnectException) {
                fail(MinerAnswer.Failure.REFUSED, "connection refused: " + cause.getMessage());
            } else if (cause instanceof TimeoutException
                    || cause.getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("timeout")) {
                fail(MinerAnswer.Failure.TIMEOUT, String.valueOf(cause.getMessage()));
            } else if (request.get() == null) {
                fail(MinerAnswer.Failure.REFUSED, "cannot connect: " + cause);
            } else {
                fail(MinerAnswer.Failure.CONNECTION_LOST, String.valueOf(cause));
            }
        }

        void receive(HttpClientResponse response) {
            response.exceptionHandler(this::transportFailed);
            String length = response.getHeader("Content-Length");
            if (length != null && length.strip().matches("[0-9]{1,18}")
                    && Long.parseLong(length.strip()) > options.maxResponseBytes()) {
                fail(MinerAnswer.Failure.OVERSIZE, "declared " + length.strip() + " bytes, cap "
                        + options.maxResponseBytes());
                return;
            }
            Buffer body = Buffer.buffer();
            response.handler(chunk -> {
                if (body.length() + chunk.length() > options.maxResponseBytes()) {
                    fail(MinerAnswer.Failure.OVERSIZE, "more than " + options.maxResponseBytes() + " bytes");
                } else if (!promise.future().isComplete()) {
                    body.appendBuffer(chunk);
                }
            });
            response.endHandler(v -> {
                if (promise.future().isComplete()) {
                    return;
                }
                byte[] bytes = body.getBytes();
                Duration latency = elapsed(startNanos);
                if (response.statusCode() != 200) {
                    Refusal refusal = Refusal.of(bytes);
                    promise.tryComplete(MinerAnswer.refused(uid, response.statusCode(), refusal.code(), refusal.text(),
                            latency));
                    return;
                }
                ResponseSigning signing = ResponseSigning.of(response);
                // Recovering the signer costs as much as signing, so it leaves the event loop too; the miner's
                // latency stops at the last byte, not after our check.
                vertx.executeBlocking(() -> judge(signing, bytes, latency), false).onComplete(judged -> promise.tryComplete(
                        judged.succeeded() ? judged.result() : MinerAnswer.failed(uid, MinerAnswer.Failure.MALFORMED,
                                String.valueOf(judged.cause()), latency)));
            });
        }

        private MinerAnswer judge(ResponseSigning signing, byte[] body, Duration latency) {
            String problem = signatureProblem(signing, body);
            if (problem != null) {
                return MinerAnswer.failed(uid, MinerAnswer.Failure.BAD_SIGNATURE, problem, latency);
            }
            QueryResponse answer;
            try {
                answer = CanonicalJson.read(body, QueryResponse.class);
            } catch (MalformedMessageException e) {
                return MinerAnswer.failed(uid, MinerAnswer.Failure.MALFORMED, e.getMessage(), latency);
            }
            if (!answer.queryId().equals(query.queryId())) {
                return MinerAnswer.failed(uid, MinerAnswer.Failure.MALFORMED,
                        "answer is for query " + answer.queryId() + ", not " + query.queryId(), latency);
            }
            return MinerAnswer.ok(uid, answer, latency);
        }

        /** Null when the response is signed by the uid's hotkey, for us, for this request. */
        private String signatureProblem(ResponseSigning signing, byte[] body) {
            String signature = signing.signature();
            String signedBy = signing.signedBy();
            String signedFor = signing.signedFor();
            String uuid = signing.uuid();
            String timestamp = signing.timestamp();
            if (signing.version() == null || signature == null || signedBy == null || signedFor == null || uuid == null
                    || timestamp == null) {
                return "response is not signed";
            }
            if (!Epistula.PROTOCOL_VERSION.equals(signing.version())) {
                return "response's Epistula-Version is not " + Epistula.PROTOCOL_VERSION;
            }
            if (!signedBy.equalsIgnoreCase(minerHotkey)) {
                return "signed by " + signedBy + ", but uid " + uid + " is " + minerHotkey;
            }
            if (!signedFor.equalsIgnoreCase(validator.address()) || !uuid.equals(sent.uuid())) {
                return "response is bound to another validator or request";
            }
            if (!timestamp.matches("[0-9]{1,15}")) {
                return "response timestamp is not unix milliseconds";
            }
            long signedAt = Long.parseLong(timestamp);
            long window = options.timestampWindow().toMillis();
            if (signedAt < sent.timestamp() - window || signedAt > clock.millis() + window) {
                return "response timestamp is outside the window";
            }
            try {
                String recovered = Epistula.recoverSigner(
                        Epistula.message(body, uuid, signedAt, signedFor), signature);
                return recovered.equals(minerHotkey) ? null : "signature does not match uid " + uid + "'s hotkey";
            } catch (MalformedMessageException e) {
                return e.getMessage();
            }
        }

        /** The response's Epistula headers, read on the event loop so that checking them can happen elsewhere. */
        private record ResponseSigning(String version, String signature, String signedBy, String signedFor, String uuid,
                                       String timestamp) {
            static ResponseSigning of(HttpClientResponse response) {
                return new ResponseSigning(response.getHeader(EpistulaHeaders.VERSION),
                        response.getHeader(EpistulaHeaders.RESPONSE_SIGNATURE),
                        response.getHeader(EpistulaHeaders.SIGNED_BY), response.getHeader(EpistulaHeaders.SIGNED_FOR),
                        response.getHeader(EpistulaHeaders.UUID), response.getHeader(EpistulaHeaders.TIMESTAMP));
            }
        }

        /** A miner's error document read leniently: a refusal is a failure whatever its body says. */
        private record Refusal(String code, String text) {
            static Refusal of(byte[] body) {
                try {
                    JsonObject json = new JsonObject(Buffer.buffer(body));
                    // getString's default covers a missing key only: "error": null reads as null, which would throw
                    // in the response's end handler and leave the query to time out.
                    String code = Objects.requireNonNullElse(json.getString("error"), "");
                    return new Refusal(code, code + ": " + Objects.requireNonNullElse(json.getString("reason"), ""));
                } catch (RuntimeException e) {
                    return new Refusal("", "(no refusal reason)");
                }
            }
        }
    }
}
