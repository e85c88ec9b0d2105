package dev.chorus.miner.server;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.SubnetChain;
import dev.chorus.config.ChainSettings;
import dev.chorus.config.IpLiteral;
import dev.chorus.config.MinerServerSettings;
import dev.chorus.config.RoundSettings;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.protocol.CanonicalJson;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.EpistulaHeaders;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.protocol.QueryResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves one miner on {@code POST /v1/query} plus {@code /health/live}, {@code /health/ready} and
 * {@code /metrics}. Each connection is let in by the {@link ConnectionGate}, and every query passes the
 * {@link RequestGate} checks (PROTOCOL.md, "Miner checks"),
 * the signature among them through the bounded {@link SignatureChecks}, then a per-validator rate limit,
 * then the stake-ordered {@link HandlerSlots}; the answer is signed with the miner's hotkey for the
 * validator that asked.
 */
public final class MinerServer {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** Past server.max_handler_time, how long before Vert.x reports a handler's thread blocked (Vert.x's own default). */
    private static final Duration BLOCKED_MARGIN = Duration.ofSeconds(60);
    /** Time beyond a query's own deadline for its answer to be signed and written before close cuts it. */
    private static final Duration DRAIN_MARGIN = Duration.ofSeconds(5);
    private static final int VALIDATORS_MAX_RESPONSE_BYTES = RoundSettings.defaults().maxResponseBytes();
    /**
     * How long after the start a miner that validators cannot find (no uid, no axon) is warned of, at the least: a
     * registration and an announcement take a block each, and a subnet's own tooling may start its miners first.
     */
    static final Duration UNREACHABLE_GRACE = Duration.ofMinutes(1);
    /** Kinds of handler failure whose stack trace is logged, so that a miner throwing ever new ones cannot flood the log. */
    private static final int TRACED_FAILURE_KINDS = 32;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Hotkey hotkey;
    private final int netuid;
    private final MinerServerSettings options;
    private final Duration metagraphRefresh;
    private final InstantSource clock;
    private final Miner syncMiner;
    private final AsyncMiner asyncMiner;
    private final MetagraphCache metagraph;
    private final RequestGate gate;
    private final ValidatorRateLimiter rateLimiter;
    private final HandlerSlots slots;
    private final PrometheusMeterRegistry registry;
    private final Timer handlerTimer;
    private final WorkerExecutor workers;
    private final ExecutorService signing;
    private final SignatureChecks signatures;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final ConnectionGate connectionGate;
    private final ProcessMetrics processMetrics;
    private final RefusalNotices refusalNotices = new RefusalNotices(System::nanoTime);
    private final Set<String> tracedFailureKinds = ConcurrentHashMap.newKeySet();
    private volatile boolean metagraphHealthy = true;
    /** Whether a metagraph has listed this hotkey since the start: a miner started before registering is not "gone". */
    private volatile boolean seenRegistered;
    /** Whether the operator was warned that the hotkey left the metagraph, so it is said once, and its return too. */
    private volatile boolean warnedUnregistered;
    /** Whether the operator was warned that this hotkey holds a validator permit, so it is said once while it holds one. */
    private volatile boolean warnedPermit;
    /** When the server began to listen, by {@link #clock}; null before. */
    private volatile Instant startedAt;
    /**
     * Bumped as {@link #joinSubnet} begins and as it ends: a metagraph read that began under another count may have
     * been read before the registration or the axon was mined, and says nothing of whether validators find the miner.
     */
    private final AtomicInteger joinSteps = new AtomicInteger();
    /** Whether the operator was warned that validators cannot reach this miner yet (no uid, or no axon), said once. */
    private volatile boolean warnedUnreachable;
    private HttpServer server;
    private long refreshTimer = -1;
    private Future<Void> closing;

    /** {@code ownVertx}: the Vert.x the builder created for this server, null when the caller passed one in. */
    private MinerServer(Builder b, Vertx ownVertx) {
        this.options = validated(b.port.isPresent() ? b.options.withPort(b.port.getAsInt()) : b.options);
        this.metagraphRefresh = b.metagraphRefresh;
        this.hotkey = Objects.requireNonNull(b.hotkey, "hotkey is required: builder().hotkey(Hotkey.fromPrivateKey(...))");
        Objects.requireNonNull(b.metagraphSource, "a metagraph source is required: builder().metagraph(...)");
        if (b.syncMiner == null && b.asyncMiner == null) {
            throw new IllegalArgumentException("a miner is required: builder().miner(query -> answer)");
        }
        if (b.netuid < 0) {
            throw new IllegalArgumentException("netuid is required: builder().netuid(n)");
        }
        this.netuid = b.netuid;
        this.ownsVertx = ownVertx != null;
        this.vertx = ownsVertx ? ownVertx : b.vertx;
        this.clock = b.clock;
        this.syncMiner = b.syncMiner;
        this.asyncMiner = b.asyncMiner;
        this.metagraph = new MetagraphCache(b.metagraphSource, options.metagraphMaxStaleness(), clock);
        this.gate = new RequestGate(hotkey.address(), netuid, options, metagraph,
                new ReplayCache(options.replayCacheSize()), clock);
        this.rateLimiter = new ValidatorRateLimiter(options.requestsPerSecond(), options.rateBurst());
        this.slots = new HandlerSlots(options.maxConcurrency(), options.maxQueued());
        this.registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // A registry handed in belongs to a process that decides what it exports of itself.
        this.processMetrics = b.registry != null ? null : new ProcessMetrics(registry);
        this.handlerTimer = Timer.builder("chorus.miner.handler").description("time the miner's handler ran")
                .register(registry);
        Gauge.builder("chorus.miner.inflight", slots, HandlerSlots::running)
                .description("handler calls running").register(registry);
        Gauge.builder("chorus.miner.waiting", slots, HandlerSlots::waiting)
                .description("admitted queries waiting for a handler slot").register(registry);
        this.connectionGate = new ConnectionGate(vertx, "the miner", new ConnectionGate.Limits("server.",
                options.maxConnections(), OptionalInt.of(options.maxConnectionsPerNetwork()),
                Optional.of(options.headerReadTimeout())),
                new ConnectionGate.Meters("chorus.miner.connections", "chorus.miner.connections.refused", Tags.empty()),
                registry);
        Gauge.builder("chorus.miner.metagraph.age", metagraph, MetagraphCache::ageSeconds).baseUnit("seconds")
                .description("seconds since the metagraph was last read").register(registry);
        int instance = INSTANCES.incrementAndGet();
        this.workers = vertx.createSharedWorkerExecutor("chorus-miner-handler-" + instance, options.maxConcurrency(),
                options.maxHandlerTime().plus(BLOCKED_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
        // A signature costs up to a millisecond of CPU: on the event loop a flood of forged ones would stall every
        // exchange. Signatures get a pool of their own, as behind the handler pool they would wait for slow models
        // and on Vert.x's shared pool a flood would delay metagraph reads.
        int threads = options.signatureThreads(Runtime.getRuntime().availableProcessors());
        this.signing = Executors.newFixedThreadPool(threads,
                Thread.ofPlatform().name("chorus-miner-signatures-" + instance + "-", 1).daemon().factory());
        this.signatures = new SignatureChecks(vertx, signing, threads, options.maxSignatureChecks());
        Gauge.builder("chorus.miner.signatures.waiting", signatures, SignatureChecks::waiting)
                .description("request signatures waiting to be checked").register(registry);
        Gauge.builder("chorus.miner.signatures.threads", () -> threads)
                .description("threads checking request signatures (server.signature_threads)").register(registry);
        // Every outcome from the first scrape: a series born with its first query hides that query from rate() and
        // increase(), so an alert on a kind of refusal would miss its first occurrence.
        requests("ok");
        for (Rejection rejection : Rejection.values()) {
            requests(outcome(rejection));
        }
    }

    private static MinerServerSettings validated(MinerServerSettings settings) {
        java.util.List<String> problems = new java.util.ArrayList<>();
        settings.validate("server.", problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid miner server settings: " + String.join("; ", problems));
        }
        return settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.actualPort();
    }

    public Hotkey hotkey() {
        return hotkey;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Re-reads the metagraph now instead of waiting for the interval. */
    public Future<Void> refreshMetagraph() {
        if (!refreshing.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        int joinStepsAtRead = joinSteps.get();
        return vertx.executeBlocking(metagraph::refresh, false).map(error -> {
            refreshing.set(false);
            if (error.isPresent()) {
                if (metagraphHealthy) {
                    MinerLog.metagraphUnavailable(error.get(), metagraph.ageSeconds());
                }
                metagraphHealthy = false;
            } else {
                if (!metagraphHealthy) {
                    MinerLog.metagraphRecovered();
                    metagraphHealthy = true;
                }
                noticeRegistration(metagraph.current(), joinStepsAtRead);
            }
            return (Void) null;
        }).onFailure(e -> refreshing.set(false));
    }

    /**
     * Takes this server's place on the subnet: registers its hotkey through {@code chain} unless the hotkey has a uid
     * already, then announces the axon at {@code externalHost} and this server's port unless the chain has it there
     * already (a restart at the same address sends no transaction, so the subnet's serving rate limit cannot refuse
     * it). Call it once the server has started, so that a port already taken costs no registration; it blocks while
     * the transactions are mined, so call it from {@code main} or a worker, never an event loop. When it fails it
     * closes the server (and the Vert.x the server created) before throwing: a miner's {@code main} that ends on the
     * failure then ends its process, where a server left listening would keep it alive, unregistered.
     *
     * @throws IllegalArgumentException if {@code chain} signs with a key other than this server's hotkey
     */
    public Registration joinSubnet(SubnetChain chain, String externalHost) {
        try {
            if (!chain.signer().equalsIgnoreCase(hotkey.address())) {
                throw new IllegalArgumentException("the chain client signs as " + chain.signer() + " but the miner's"
                        + " hotkey is " + hotkey.address() + ": a miner registers and announces its own hotkey; build"
                        + " the chain client with the key the MinerServer was given");
            }
            joinSteps.incrementAndGet();
            Optional<Neuron> neuron = chain.metagraph(netuid).byHotkey(hotkey.address());
            int uid = neuron.isPresent() ? neuron.get().uid() : chain.register(netuid);
            boolean announce = neuron.isEmpty() || !neuron.get().axon().servesAt(externalHost, port());
            if (announce) {
                chain.serveAxon(netuid, externalHost, port());
            }
            joinSteps.incrementAndGet();
            refreshMetagraph();
            return new Registration(netuid, uid, neuron.isEmpty(), announce);
        } catch (RuntimeException e) {
            joinSteps.incrementAndGet();
            try {
                close().await();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * A hotkey that leaves the metagraph (pruned by a newcomer, or a local chain started afresh) gets no more queries,
     * and nothing else would tell the operator why; nor would anything say why a hotkey holding a validator permit
     * (a validator's key reused for the miner, the subnet owner's, or a staked one) is never queried: validators ask
     * only uids without one.
     */
    private void noticeRegistration(Metagraph current, int joinStepsAtRead) {
        var neuron = current.byHotkey(hotkey.address());
        // Odd while a join runs; changed since the read began when one ran meanwhile.
        if (joinStepsAtRead % 2 == 0 && joinStepsAtRead == joinSteps.get()) {
            noticeUnreachable(neuron);
        }
        if (neuron.isPresent()) {
            if (warnedUnregistered) {
                MinerLog.registeredAgain(hotkey.address(), netuid, neuron.get().uid());
                warnedUnregistered = false;
            }
            seenRegistered = true;
            if (neuron.get().validatorPermit() && !warnedPermit) {
                MinerLog.holdsValidatorPermit(hotkey.address(), netuid, neuron.get().uid());
            }
            warnedPermit = neuron.get().validatorPermit();
        } else {
            warnedPermit = false;
            if (seenRegistered && !warnedUnregistered) {
                MinerLog.noLongerRegistered(hotkey.address(), netuid);
                warnedUnregistered = true;
            }
        }
    }

    /**
     * A miner that never registered, or registered without announcing its axon (a run without --register, a
     * {@code chain register} without {@code chain serve}), listens and reports itself ready, yet no validator can
     * find it. Said once, and only {@link #UNREACHABLE_GRACE} (or a refresh interval, if longer) after the start: a
     * miner's own registration, or the operator's by hand, takes a few blocks to show in the metagraph.
     */
    private void noticeUnreachable(Optional<Neuron> neuron) {
        Instant since = startedAt;
        Duration grace = metagraphRefresh.compareTo(UNREACHABLE_GRACE) > 0 ? metagraphRefresh : UNREACHABLE_GRACE;
        if (warnedUnreachable || since == null || Duration.between(since, clock.instant()).compareTo(grace) < 0) {
            return;
        }
        if (neuron.isEmpty() && !seenRegistered) {
            MinerLog.notRegistered(hotkey.address(), netuid, port());
            warnedUnreachable = true;
        } else if (neuron.isPresent() && !neuron.get().axon().isServing()) {
            MinerLog.noAxonAnnounced(hotkey.address(), netuid, neuron.get().uid(), port());
            warnedUnreachable = true;
        }
    }

    /**
     * Stops taking connections, lets the queries in flight finish and sends their answers (each is bounded by its
     * deadline, at most {@code server.max_handler_time}), then closes what the server created; completes once that is
     * done, its own Vert.x included. A restart thus costs validators no answer the model was already computing.
     */
    public synchronized Future<Void> close() {
        // The second caller (a shutdown hook after a failed joinSubnet, say) waits for the same closing.
        if (closing != null) {
            return closing;
        }
        if (refreshTimer >= 0) {
            vertx.cancelTimer(refreshTimer);
        }
        Promise<Void> stopped = Promise.promise();
        Future<Void> closed = server == null ? Future.succeededFuture()
                : server.shutdown(options.bodyReadTimeout().plus(options.maxHandlerTime()).plus(DRAIN_MARGIN).toMillis(),
                        TimeUnit.MILLISECONDS);
        closed.onComplete(http -> release().onSuccess(v -> MinerLog.stopped(hotkey.address()))
                .onComplete(released -> stopped.handle(http.failed() ? http : released)));
        closing = stopped.future();
        return closing;
    }

    /**
     * Stops the pools this server created, and its Vert.x when it created that too; a Vert.x passed in is the
     * caller's to close. Vert.x threads are not daemons: one left running keeps the JVM alive after {@code main}.
     * The outcome comes on a promise of no Vert.x context: a future chained on this server's futures would be
     * delivered on an event loop that closing the Vert.x just stopped, and never arrive.
     */
    private Future<Void> release() {
        Promise<Void> released = Promise.promise();
        signing.shutdown();
        if (processMetrics != null) {
            processMetrics.close();
        }
        workers.close().onComplete(pools -> {
            if (ownsVertx) {
                vertx.close().onComplete(released);
            } else {
                released.handle(pools);
            }
        });
        return released.future();
    }

    private Future<MinerServer> start() {
        HttpServerOptions serverOptions = new HttpServerOptions()
                .setHost(options.host())
                .setPort(options.port())
                // A backstop only (heads and bodies have deadlines of their own): no byte flows while the model
                // works, so it must outlast the longest handler, or a slow model's answer finds its connection gone.
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, options.headerReadTimeout()
                        .plus(options.bodyReadTimeout()).plus(options.maxHandlerTime()).toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxHeaderSize(8192)
                .setMaxInitialLineLength(1024);
        // Of no Vert.x context, like release()'s: a failure is reported once the server's own Vert.x has stopped.
        Promise<MinerServer> started = Promise.promise();
        refreshMetagraph()
                .compose(v -> connectionGate.server(serverOptions)
                        .requestHandler(this::route).listen()
                        .recover(e -> Future.failedFuture(e instanceof BindException
                                ? new IllegalStateException("cannot listen on " + IpLiteral.withPort(options.host(), options.port())
                                        + " (" + e.getMessage() + "): another process holds the port; stop it or choose"
                                        + " another port (server.port in the miner config, or .port(...) on the"
                                        + " MinerServer builder; 0 for any free one)", e)
                                : e)))
                .map(s -> {
                    server = s;
                    refreshTimer = vertx.setPeriodic(metagraphRefresh.toMillis(),
                            id -> refreshMetagraph().onFailure(e -> MinerLog.metagraphUnavailable(
                                    e, metagraph.ageSeconds())));
                    MinerLog.started(hotkey.address(), netuid, options.host(), s.actualPort());
                    startedAt = clock.instant();
                    if (options.headerReadTimeout().compareTo(HttpMinerClient.IDLE_CONNECTION) <= 0) {
                        MinerLog.idleLimitBelowValidators(options.headerReadTimeout(), HttpMinerClient.IDLE_CONNECTION);
                    }
                    return this;
                })
                .onComplete(result -> {
                    if (result.failed()) {
                        release().onComplete(released -> started.fail(result.cause()));
                    } else {
                        started.handle(result);
                    }
                });
        return started.future();
    }

    private void route(HttpServerRequest request) {
        connectionGate.headArrived(request);
        Exchange exchange = new Exchange(request);
        switch (request.path()) {
            case "/v1/query" -> query(exchange);
            case "/health/live" -> exchange.json(200, new JsonObject().put("status", "live"));
            case "/health/ready" -> ready(exchange);
            case "/metrics" -> request.response()
                    .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape());
            default -> exchange.refuse(new RefusedException(Rejection.NOT_FOUND,
                    "no such path; queries go to POST /v1/query"), true);
        }
    }

    /**
     * Anyone who can reach the port may ask, so a miner that is not ready says the kind of trouble, as a refused query
     * does, and not the chain's error, which can name the miner's node; that error is in the miner's log.
     */
    private void ready(Exchange exchange) {
        try {
            metagraph.current();
            exchange.json(200, new JsonObject().put("status", "ready"));
        } catch (RefusedException unavailable) {
            exchange.json(503, new JsonObject().put("status", "not ready").put("reason", unavailable.detail()));
        }
    }

    private void query(Exchange exchange) {
        HttpServerRequest request = exchange.request;
        if (request.method() != HttpMethod.POST) {
            exchange.refuse(new RefusedException(Rejection.METHOD_NOT_ALLOWED, "use POST"), true);
            return;
        }
        RequestGate.Admitted admitted;
        try {
            admitted = gate.checkHeaders(request::getHeader, declaredLength(request));
        } catch (RefusedException e) {
            exchange.refuse(e, true);
            return;
        }
        // A client that asked to hear first whether its body is wanted (curl does so past 1 KiB) is told only once
        // the head passed, so a refused one never sends it; left unanswered, it waits and then runs into BODY_TOO_SLOW.
        if ("100-continue".equalsIgnoreCase(String.valueOf(request.getHeader("Expect")).strip())) {
            request.response().writeContinue();
        }
        readBody(exchange, admitted);
    }

    private static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader("Content-Length");
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw new RefusedException(Rejection.MALFORMED_HEADER, "Content-Length is not a number");
        }
    }

    private void readBody(Exchange exchange, RequestGate.Admitted admitted) {
        HttpServerRequest request = exchange.request;
        Buffer body = Buffer.buffer();
        long slowTimer = vertx.setTimer(options.bodyReadTimeout().toMillis(), id -> exchange.refuse(
                new RefusedException(Rejection.BODY_TOO_SLOW, "body not received within "
                        + options.bodyReadTimeout().toMillis() + " ms"), true));
        request.handler(chunk -> {
            if (exchange.answered.get()) {
                return;
            }
            if (body.length() + chunk.length() > options.maxBodyBytes()) {
                vertx.cancelTimer(slowTimer);
                exchange.refuse(new RefusedException(Rejection.BODY_TOO_LARGE,
                        "body exceeds the " + options.maxBodyBytes() + " byte limit"), true);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> {
            vertx.cancelTimer(slowTimer);
            exchange.answered.set(true);
        });
        request.endHandler(v -> {
            vertx.cancelTimer(slowTimer);
            if (!exchange.answered.get()) {
                verify(exchange, admitted, body.getBytes());
            }
        });
    }

    private void verify(Exchange exchange, RequestGate.Admitted admitted, byte[] body) {
        signatures.verify(exchange.request.remoteAddress().hostAddress(), () -> gate.checkSignature(admitted, body))
                .onSuccess(verified -> admit(exchange, admitted, body))
                .onFailure(e -> exchange.refuse(e instanceof RefusedException refusal ? refusal
                        : new RefusedException(Rejection.BUSY, "the signature could not be checked: " + e), false));
    }

    private void admit(Exchange exchange, RequestGate.Admitted admitted, byte[] body) {
        // A copy of a request whose head passed before the original was recorded, or whose body came after the
        // window, is refused here: it must not spend a rate token that belongs to the validator who signed it.
        try {
            gate.checkStillFresh(admitted);
        } catch (RefusedException e) {
            exchange.refuse(e, false);
            return;
        }
        // Before the uuid is recorded: the replay cache is shared by every validator, so one sending past its rate
        // must not fill it with the uuids of queries it was refused, and lock the others out with REPLAY_CACHE_FULL.
        long waitMs = rateLimiter.tryAcquire(admitted.headers().signedBy(), System.nanoTime());
        if (waitMs > 0) {
            exchange.request.response().putHeader("Retry-After", Long.toString((waitMs + 999) / 1000));
            exchange.refuse(new RefusedException(Rejection.RATE_LIMITED,
                    "more than " + options.requestsPerSecond() + " queries per second; retry in " + waitMs + " ms"), false);
            return;
        }
        QueryRequest query;
        try {
            query = gate.checkBody(admitted, body);
        } catch (RefusedException e) {
            exchange.refuse(e, false);
            return;
        }
        long budgetMs = Math.min(query.deadline() - admitted.headers().timestamp(), options.maxHandlerTime().toMillis());
        long deadlineNanos = exchange.receivedNanos + TimeUnit.MILLISECONDS.toNanos(budgetMs);
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (remainingMs <= 0) {
            exchange.refuse(new RefusedException(Rejection.DEADLINE_EXCEEDED,
                    "the query's deadline passed before it could run"), false);
            return;
        }
        long queuedAt = System.nanoTime();
        // Handlers read the host's wall clock, which may disagree with the validator's by seconds.
        QueryRequest local = query.withDeadline(System.currentTimeMillis() + remainingMs);
        HandlerSlots.Ticket ticket = slots.ticket(admitted.signer().stake(),
                started -> run(exchange, admitted, local, queuedAt, started),
                refusal -> exchange.refuse(refusal, false));
        exchange.deadlineTimer = vertx.setTimer(remainingMs, id -> {
            boolean wasWaiting = slots.withdraw(ticket);
            exchange.refuse(new RefusedException(Rejection.DEADLINE_EXCEEDED, wasWaiting
                    ? "deadline passed while waiting for a handler slot"
                    : "the miner did not answer within " + budgetMs + " ms"), false);
            // A blocked worker thread keeps its slot until it returns; an async miner holds no thread.
            if (asyncMiner != null) {
                slots.release(ticket);
            }
        });
        slots.submit(ticket);
    }

    /** What the miner gave for one query: its answer and the model name it reports. */
    private record Answered(String text, String model) {
    }

    private void run(Exchange exchange, RequestGate.Admitted admitted, QueryRequest query, long queuedAt,
                     HandlerSlots.Ticket ticket) {
        long started = System.nanoTime();
        if (exchange.answered.get()) {
            slots.release(ticket);
            return;
        }
        // The model name is the miner's code too: asked inside the call, so that a throw fails this query alone.
        Future<Answered> answer = syncMiner != null
                ? workers.executeBlocking(() -> {
                    String model = syncMiner.model();
                    return new Answered(syncMiner.answer(query), model);
                }, false)
                : callAsync(query);
        answer.onComplete(result -> {
            long computeNanos = System.nanoTime() - started;
            handlerTimer.record(computeNanos, TimeUnit.NANOSECONDS);
            slots.release(ticket);
            if (result.failed() || result.result().text() == null) {
                Throwable cause = result.failed() ? result.cause() : new NullPointerException(
                        "the miner returned null instead of an answer: return the answer's text");
                // A null answer's trace would show this server, not the miner's code.
                MinerLog.minerFailed(query.queryId(), cause, result.failed() && firstOfItsKind(cause));
                exchange.refuse(new RefusedException(Rejection.MINER_FAILED, failureDetail(cause)), false);
                return;
            }
            QueryResponse.Timings timings = new QueryResponse.Timings(
                    TimeUnit.NANOSECONDS.toMillis(started - queuedAt), TimeUnit.NANOSECONDS.toMillis(computeNanos));
            exchange.answer(admitted, new QueryResponse(query.queryId(), result.result().text(), result.result().model(),
                    timings));
        });
    }

    /**
     * Whether {@code cause} is the first failure of its kind (the innermost cause's class and the place it was thrown)
     * since the start, up to {@link #TRACED_FAILURE_KINDS} kinds: its stack trace shows the miner's developer where
     * the model's code broke, and a backend that fails every query would print the same trace for each.
     */
    private boolean firstOfItsKind(Throwable cause) {
        Throwable innermost = cause;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        StackTraceElement[] frames = innermost.getStackTrace();
        String kind = innermost.getClass().getName() + (frames.length == 0 ? "" : " at " + frames[0]);
        return tracedFailureKinds.size() < TRACED_FAILURE_KINDS && tracedFailureKinds.add(kind);
    }

    /**
     * What a validator is told when the model failed: the kind of failure, never the exception's class or text, which
     * would show the miner's internals (its libraries, its backend's address) to whoever asks. The miner's log has
     * the cause.
     */
    static String failureDetail(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof NoRouteToHostException) {
                return "the model backend is unreachable";
            }
            if (c instanceof TimeoutException) {
                return "the model backend did not answer in time";
            }
        }
        return "the model failed on this query";
    }

    private Future<Answered> callAsync(QueryRequest query) {
        Context context = vertx.getOrCreateContext();
        try {
            String model = asyncMiner.model();
            CompletionStage<String> stage = asyncMiner.answer(query);
            return stage == null ? Future.failedFuture(new NullPointerException("the async miner returned null"))
                    : Future.fromCompletionStage(stage, context).map(text -> new Answered(text, model));
        } catch (RuntimeException | Error e) {
            // An Error too (an assert, a model class that failed to initialise), as the worker pool takes it from a
            // blocking miner: escaping, it would leave the query to its deadline and be logged as "answer faster".
            return Future.failedFuture(e);
        }
    }

    private Counter requests(String outcome) {
        return Counter.builder("chorus.miner.requests").description("queries by outcome: ok, or the refusal's code")
                .tag("outcome", outcome).register(registry);
    }

    private static String outcome(Rejection rejection) {
        return rejection.name().toLowerCase(Locale.ROOT);
    }

    /** One HTTP exchange; whichever of answer, refusal or timeout comes first writes the response. */
    private final class Exchange {
        final HttpServerRequest request;
        final long receivedNanos = System.nanoTime();
        final AtomicBoolean answered = new AtomicBoolean();
        long deadlineTimer = -1;

        private boolean claim() {
            if (!answered.compareAndSet(false, true)) {
                return false;
            }
            if (deadlineTimer >= 0) {
                vertx.cancelTimer(deadlineTimer);
            }
            return true;
        }

        Exchange(HttpServerRequest request) {
            this.request = request;
        }

        void refuse(RefusedException refusal, boolean closeConnection) {
            if (!claim()) {
                return;
            }
            requests(outcome(refusal.reason())).increment();
            refusalNotices.refused(refusal.reason(), refusal.detail());
            HttpServerResponse response = request.response();
            if (closeConnection) {
                // The body was not read; closing is the only way to stop the client sending it.
                response.putHeader("Connection", "close");
            }
            Future<Void> written = response.setStatusCode(refusal.reason().status())
                    .putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", refusal.reason().name()).put("reason", refusal.detail())
                            .toBuffer());
            if (closeConnection) {
                written.onComplete(done -> request.connection().close());
            }
        }

        void json(int status, JsonObject body) {
            answered.set(true);
            request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(body.toBuffer());
        }

        void answer(RequestGate.Admitted admitted, QueryResponse response) {
            if (!claim()) {
                return;
            }
            requests("ok").increment();
            byte[] body = CanonicalJson.write(response);
            // Sent all the same: a validator alone decides what it pays, but the miner's log is the only place its
            // developer hears that the answer earns nothing.
            if (response.answer().isBlank()) {
                MinerLog.emptyAnswer(response.queryId());
            } else if (body.length > VALIDATORS_MAX_RESPONSE_BYTES) {
                MinerLog.answerTooLarge(response.queryId(), body.length, VALIDATORS_MAX_RESPONSE_BYTES);
            }
            signed(admitted, body).onSuccess(signed -> {
                HttpServerResponse http = request.response().setStatusCode(200)
                        .putHeader("Content-Type", "application/json");
                for (Map.Entry<String, String> header : signed.asResponseHeaders().entrySet()) {
                    http.putHeader(header.getKey(), header.getValue());
                }
                http.end(Buffer.buffer(body));
            }).onFailure(e -> {
                // Dropping the connection tells the validator at once instead of at its deadline.
                if (e instanceof RejectedExecutionException) {
                    MinerLog.answerAfterClose(response.queryId());
                } else {
                    MinerLog.answerUnsigned(response.queryId(), e);
                }
                request.connection().close();
            });
        }

        /**
         * Not through SignatureChecks: answers are already bounded by the handler slots, and refusing one now would
         * throw away the miner's work.
         */
        private Future<EpistulaHeaders> signed(RequestGate.Admitted admitted, byte[] body) {
            try {
                return Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> Epistula.sign(hotkey, body,
                        admitted.headers().signedBy(), admitted.headers().uuid(), clock.millis()), signing),
                        vertx.getOrCreateContext());
            } catch (RejectedExecutionException closing) {
                return Future.failedFuture(closing);
            }
        }
    }

    /** Collects what a server needs; {@link #start()} binds the port and reads the metagraph once. */
    public static final class Builder {
        private Vertx vertx;
        private Hotkey hotkey;
        private int netuid = -1;
        private MetagraphSource metagraphSource;
        private MinerServerSettings options = MinerServerSettings.defaults();
        /** Set by {@link #port}; it outranks the port of any settings given, before or after it. */
        private OptionalInt port = OptionalInt.empty();
        private Duration metagraphRefresh = ChainSettings.defaults().metagraphRefresh();
        private InstantSource clock = InstantSource.system();
        private Miner syncMiner;
        private AsyncMiner asyncMiner;
        private PrometheusMeterRegistry registry;

        private Builder() {
        }

        /**
         * Shares an existing Vert.x, which stays open when the server closes or fails to start; without one the server
         * creates its own and closes it then.
         */
        public Builder vertx(Vertx vertx) {
            this.vertx = vertx;
            return this;
        }

        public Builder hotkey(Hotkey hotkey) {
            this.hotkey = hotkey;
            return this;
        }

        public Builder netuid(int netuid) {
            this.netuid = netuid;
            return this;
        }

        public Builder metagraph(MetagraphSource source) {
            this.metagraphSource = source;
            return this;
        }

        /** The server's settings; a {@link #port} given before or after this takes the place of their port. */
        public Builder options(MinerServerSettings options) {
            this.options = options;
            return this;
        }

        /** How often the metagraph is re-read (the chain settings' metagraph_refresh); default 12 s. */
        public Builder metagraphRefresh(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("metagraphRefresh must be a positive duration, got " + interval);
            }
            this.metagraphRefresh = interval;
            return this;
        }

        /** The port to listen on, 0 for any free one, whatever port the {@link #options} say. */
        public Builder port(int port) {
            this.port = OptionalInt.of(port);
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public Builder registry(PrometheusMeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** A blocking miner, run on a worker pool of {@code maxConcurrency} threads. */
        public Builder miner(Miner miner) {
            this.syncMiner = miner;
            this.asyncMiner = null;
            return this;
        }

        /** A non-blocking miner, called on the event loop. */
        public Builder asyncMiner(AsyncMiner miner) {
            this.asyncMiner = miner;
            this.syncMiner = null;
            return this;
        }

        /**
         * Reads the metagraph once and binds the port. A start that fails has closed what the server created (its
         * pools, and its Vert.x when none was given) by the time the future fails, so a miner's {@code main} that
         * ends on the failure ends its process.
         */
        public Future<MinerServer> start() {
            Vertx own = vertx == null ? Vertx.vertx() : null;
            MinerServer server;
            try {
                server = new MinerServer(this, own);
            } catch (RuntimeException e) {
                return own == null ? Future.failedFuture(e) : own.close().transform(closed -> Future.failedFuture(e));
            }
            return server.start();
        }
    }
}
