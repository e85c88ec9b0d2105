package dev.chorus.validator;

import dev.chorus.chain.ChainException;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.config.IpLiteral;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.client.MinerClient;
import dev.chorus.scoring.book.ScoreBook;
import dev.chorus.scoring.book.ScoreBookOptions;
import dev.chorus.scoring.book.ScoreBookState;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.validator.admin.AdminServer;
import dev.chorus.validator.admin.Readiness;
import dev.chorus.validator.organic.OrganicHost;
import dev.chorus.validator.organic.OrganicMetrics;
import dev.chorus.validator.organic.OrganicRounds;
import dev.chorus.validator.organic.OrganicServer;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;
import dev.chorus.validator.state.StateLock;
import dev.chorus.validator.state.ValidatorState;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A running validator: it starts and stops the whole, wires its parts to the score book and the pools, runs the
 * timers that start metagraph syncs and synthetic rounds, serves the status, and wires the organic API. The
 * synthetic rounds, their count and tallies are {@link SyntheticRounds}', the chain view and its refresh
 * {@link MetagraphSync}'s, the weights {@link WeightSetter}'s, and the state file and round log {@link StateFolder}'s;
 * the service reaches them through small bridges and they reach it back the same way. The status document is built
 * by {@link StatusDocument} from what they hold.
 * <p>
 * Everything here runs on one Vert.x event loop (the service's context), and every
 * blocking call goes to a named worker pool: {@code chorus-chain} (one thread, so transactions keep their
 * nonce order), {@code chorus-scoring} (ONNX) and {@code chorus-disk} (state file and round log). Each pool has
 * one thread, which keeps its own tasks in order; they are submitted unordered because Vert.x orders blocking
 * tasks per context, across pools, so a chain call waiting for a receipt would hold up the rounds.
 */
public final class ValidatorService {

    /**
     * What the service is built from; the caller owns none of it after {@link #start}. {@code organicMiners} asks
     * miners consumers' questions; a client of its own keeps its connections apart from the synthetic rounds'.
     */
    public record Parts(SubnetChain chain, MinerClient miners, RoundScorer scorer, QuerySource queries,
                        Random random, MinerClient organicMiners) {

        /** Parts whose organic queries share the synthetic rounds' miner client (and its connection pool). */
        public Parts(SubnetChain chain, MinerClient miners, RoundScorer scorer, QuerySource queries, Random random) {
            this(chain, miners, scorer, queries, random, miners);
        }
    }

    /** Past the longest a pool's task may take, how long before Vert.x reports its thread blocked (Vert.x's own default). */
    private static final Duration BLOCKED_MARGIN = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final ValidatorConfig config;
    private final Parts parts;
    private final String hotkey;
    private final int netuid;
    private final ValidatorMetrics metrics = new ValidatorMetrics();
    private final ScoreBookOptions bookOptions;
    private ScoreBook book;
    private final StateFolder folder;
    private final WorkerExecutor chainPool;
    private final WorkerExecutor scoringPool;
    private final WorkerExecutor diskPool;
    private final Consumer<Router> extraRoutes;
    private final MetagraphSync sync;
    private final WeightSetter weights;
    private final SyntheticRounds rounds;

    private AdminServer admin;
    /** The weights step's failure last logged, so one that repeats at every sync is logged once; null once a step succeeds. */
    private String lastWeightsStepFailure;
    private boolean stopping;
    /** The one stop, read and set on the home context. */
    private Future<Void> stop;
    private long syncTimer = -1;
    private long roundTimer = -1;
    /** The event loop the timers run on; rounds started by {@link #runRound()} run there too. */
    private volatile Context home;
    // ---- organic queries: fields ----
    /** The process environment, read only for the organic API's key variables. */
    private final Map<String, String> environment;
    /** Registered before the admin listener opens, so that its first scrape holds the organic series at 0; null when off. */
    private final OrganicMetrics organicMetrics;
    private OrganicServer organic;
    private WorkerExecutor organicPool;
    private OrganicRounds organicRounds;

    private ValidatorService(Vertx vertx, ValidatorConfig config, Parts parts, Consumer<Router> extraRoutes,
                             Map<String, String> environment, StateLock stateLock) throws IOException {
        this.vertx = vertx;
        this.config = config;
        this.environment = environment;
        this.organicMetrics = config.organic().enabled() ? new OrganicMetrics(metrics.registry()) : null;
        this.parts = config.rounds().allowPrivateAxons() ? parts : publicAxonsOnly(parts);
        if (config.rounds().allowPrivateAxons() && !onThisHost(config.chain().rpcUrl())) {
            ValidatorLog.privateAxonsAllowedOffLoopback();
        }
        if (config.rounds().querySet() == null && !onThisHost(config.chain().rpcUrl())) {
            ValidatorLog.publicQuestions();
        }
        this.extraRoutes = extraRoutes;
        this.hotkey = parts.chain().signer();
        this.netuid = config.chain().netuid();
        this.bookOptions = ScoreBookOptions.from(config.scoring());
        this.book = new ScoreBook(bookOptions);
        // Opened before the pools are made: a round log that cannot be opened fails the start with only the lock to close.
        RoundLog roundLog = new RoundLog(config.state().dir(), config.state().roundLogMaxBytes(), config.state().roundLogKeep());
        // Vert.x warns of a blocked thread past each pool's limit, so a limit is the longest its work may rightly take:
        // a weights transaction waits chain.receipt_timeout and retries, which at the default 60 s read as a deadlock.
        this.chainPool = pool("chorus-chain-" + hotkey, 1,
                ClientOptions.of(config.chain()).longestTransaction());
        // A round scoring past round_deadline is counted overdue; a stall shows past that.
        this.scoringPool = pool("chorus-scoring", 1, config.rounds().roundDeadline());
        // State file and round-log writes wait for no setting: past the margin alone they are stuck.
        this.diskPool = pool("chorus-disk-" + hotkey, 1, Duration.ZERO);
        this.folder = new StateFolder(new StateFolder.Parts(config.state().dir(), netuid, hotkey, stateLock, roundLog,
                diskPool, metrics), new FolderBridge());
        this.sync = new MetagraphSync(new MetagraphSync.Parts(this.parts.chain(), netuid, hotkey, config.chain(),
                config.weights().dryRun(), metrics), chainPool, new SyncBridge());
        ServiceBridge bridge = new ServiceBridge();
        this.weights = new WeightSetter(new WeightSetter.Parts(this.parts.chain(), netuid, hotkey, config.weights(),
                this.parts.random(), metrics), bridge, bridge);
        this.rounds = new SyntheticRounds(new SyntheticRounds.Parts(vertx, config.rounds(),
                config.admin().historyRounds(), netuid, hotkey, this.parts.miners(), this.parts.scorer(),
                this.parts.queries(), this.parts.random(), metrics), scoringPool, diskPool, folder, bridge);
    }

    /** A worker pool whose blocked-thread warning comes {@link #BLOCKED_MARGIN} after {@code longestTask}. */
    private WorkerExecutor pool(String name, int threads, Duration longestTask) {
        return vertx.createSharedWorkerExecutor(name, threads, longestTask.plus(BLOCKED_MARGIN).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@code given} with both miner clients asking only public axons ({@link PublicAxonMinerClient}). */
    private Parts publicAxonsOnly(Parts given) {
        PublicAxonMinerClient miners = new PublicAxonMinerClient(given.miners(), metrics);
        MinerClient organic = given.organicMiners() == given.miners() ? miners : miners.alongside(given.organicMiners());
        return new Parts(given.chain(), miners, given.scorer(), given.queries(), given.random(), organic);
    }

    /** Whether the chain node runs on this host, as a local chain (Anvil, the demo) does. */
    static boolean onThisHost(String rpcUrl) {
        String host;
        try {
            host = URI.create(rpcUrl).getHost();
        } catch (IllegalArgumentException notAUrl) {
            return false;
        }
        return IpLiteral.isLoopbackHost(host);
    }

    /**
     * Loads the state file, syncs with the chain once, starts the admin server and the timers. Fails only on
     * what an operator must fix (a state file of another validator, an admin port in use); a chain that cannot
     * be reached yet is reported by {@code /health/ready} and retried.
     */
    public static Future<ValidatorService> start(Vertx vertx, ValidatorConfig config, Parts parts, String adminToken,
                                                 Consumer<Router> extraRoutes) {
        return start(vertx, config, parts, adminToken, extraRoutes, System.getenv());
    }

    /** As {@link #start(Vertx, ValidatorConfig, Parts, String, Consumer)}, reading API keys from {@code env}. */
    public static Future<ValidatorService> start(Vertx vertx, ValidatorConfig config, Parts parts, String adminToken,
                                                 Consumer<Router> extraRoutes, Map<String, String> env) {
        StateLock lock;
        try {
            lock = StateLock.acquire(config.state().dir());
        } catch (StateLock.StateDirUnusableException e) {
            return Future.failedFuture(e);
        }
        return start(vertx, config, parts, adminToken, extraRoutes, env, lock);
    }

    /**
     * As {@link #start(Vertx, ValidatorConfig, Parts, String, Consumer, Map)}, on a state folder whose lock the caller took
     * before it waited for the chain, so that a second validator on the folder stops at once; the service owns the
     * lock from here on, and releases it when it stops or fails to start.
     */
    public static Future<ValidatorService> start(Vertx vertx, ValidatorConfig config, Parts parts, String adminToken,
                                                 Map<String, String> env, StateLock lock) {
        return start(vertx, config, parts, adminToken, router -> { }, env, lock);
    }

    private static Future<ValidatorService> start(Vertx vertx, ValidatorConfig config, Parts parts, String adminToken,
                                                  Consumer<Router> extraRoutes, Map<String, String> env, StateLock lock) {
        ValidatorService service;
        try {
            service = new ValidatorService(vertx, config, parts, extraRoutes, env, lock);
        } catch (IOException | RuntimeException e) {
            try {
                lock.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            return Future.failedFuture(e);
        }
        return service.begin(adminToken).map(port -> service)
                .recover(e -> service.abandon().transform(closed -> Future.failedFuture(e)));
    }

    private Future<Integer> begin(String adminToken) {
        return folder.load()
                .compose(loaded -> {
                    loaded.ifPresent(this::restore);
                    return folder.lastLoggedRound();
                })
                .compose(lastLogged -> {
                    rounds.numberOnFrom(lastLogged);
                    admin = new AdminServer(vertx, config.admin(), adminToken,
                            metrics.registry(), this::statusHere, this::readiness, extraRoutes);
                    return admin.start();
                })
                .compose(port -> startOrganic().map(port))
                .compose(port -> sync.firstRefresh().map(port))
                .onSuccess(port -> {
                    ValidatorLog.started(hotkey, netuid, sync.mode(), admin.url());
                    home = vertx.getOrCreateContext();
                    syncTimer = vertx.setPeriodic(config.chain().metagraphRefresh().toMillis(), id -> sync.refresh());
                    roundTimer = vertx.setPeriodic(config.rounds().period().toMillis(), id -> rounds.start());
                });
    }

    public int adminPort() {
        return admin.port();
    }

    /** Rounds run (scored or failed) over the life of the state folder: the number of the last one. */
    public long roundsDone() {
        return rounds.lastNumber();
    }

    /**
     * Starts a round now, outside the schedule, and completes when it is recorded (fails if it failed). For load
     * benchmarks that drive rounds back to back, with {@code rounds.period} long enough that the schedule never
     * fires. Fails at once when a round is in flight, the service is stopping, or there is no miner to ask.
     */
    public Future<Void> runRound() {
        Promise<Void> done = Promise.promise();
        home.runOnContext(v -> rounds.runNow().onComplete(done));
        return done.future();
    }

    public ValidatorMetrics metrics() {
        return metrics;
    }

    public String hotkey() {
        return hotkey;
    }

    /**
     * Stops scheduling and the organic listener, lets the rounds in flight (synthetic and organic) and a weights
     * submission in flight end, saves state, closes everything. Runs on the service's event loop, whose fields it reads.
     */
    public Future<Void> stop() {
        Promise<Void> stopped = Promise.promise();
        home.runOnContext(v -> {
            // A second stop (a shutdown hook and a caller both) waits for the first: saving again would find the
            // files and pools closed and report a saved state as lost.
            if (stop == null) {
                stop = stopHere();
            }
            stop.onComplete(stopped);
        });
        return stopped.future();
    }

    private Future<Void> stopHere() {
        ValidatorLog.stopping();
        stopping = true;
        vertx.cancelTimer(syncTimer);
        vertx.cancelTimer(roundTimer);
        // Organic rounds score with the model and write to the book and the round log, and a weights submission writes
        // its outcome to the state: all of them end before the state is saved and the files (and then the model) closed.
        // A weights transaction is waited for one receipt_timeout at most: its intent is saved before it was sent, so
        // one still unconfirmed is settled by the next start, and a stop must not wait out a chain outage's retries.
        Duration receipt = config.chain().receiptTimeout();
        Future<Void> weights = endedWithin(this.weights.submission(), receipt, () -> ValidatorLog.weightsLeftPending(receipt));
        Future<Void> saved = Future.join(rounds.inFlightEnded(), weights, stopOrganic())
                .transform(ended -> folder.saveAndClose());
        // The last line an operator sees says whether the state was saved, so a stop that lost scores is not silent.
        return saved.compose(v -> admin == null ? Future.succeededFuture() : admin.stop())
                .eventually(this::closeClientsAndPools)
                .andThen(done -> {
                    if (saved.succeeded()) {
                        ValidatorLog.stopped(rounds.lastNumber());
                    } else {
                        ValidatorLog.stoppedUnsaved(Objects.requireNonNullElse(saved.cause().getMessage(),
                                saved.cause().toString()));
                    }
                });
    }

    /**
     * After a failed start: closes what was opened and saves nothing, since the state file that made the start fail
     * may be another validator's.
     */
    private Future<Void> abandon() {
        stopping = true;
        return stopOrganic()
                .eventually(() -> admin == null ? Future.succeededFuture() : admin.stop())
                .eventually(folder::close)
                .eventually(this::closeClientsAndPools);
    }

    private Future<Void> closeClientsAndPools() {
        metrics.close();
        parts.miners().close();
        chainPool.close();
        diskPool.close();
        return scoringPool.close();
    }

    // ---- the weights step after each sync ------------------------------------------------------------------

    /**
     * A weights step's chain failures are logged by {@link MetagraphSync#onChain} and its submissions' outcomes by
     * {@link WeightSetter}; anything else (a bug, a reply the client cannot read) is logged here, once while it repeats.
     */
    private void weightsStepEnded(AsyncResult<Void> result) {
        if (result.succeeded()) {
            lastWeightsStepFailure = null;
            return;
        }
        Throwable e = result.cause();
        if (e instanceof ChainException) {
            return;
        }
        if (!e.toString().equals(lastWeightsStepFailure)) {
            ValidatorLog.weightsStepFailed(e);
            lastWeightsStepFailure = e.toString();
        }
    }

    /**
     * What /health/ready reports: the chain's view, unless the state cannot be saved or the round log written, or the
     * service is stopping: the organic listener takes no new connection then, and a load balancer that checks
     * /health/ready must send its consumers elsewhere for as long as the stop takes.
     */
    private Readiness readiness() {
        return stopping ? Readiness.notReady("stopping: finishing the rounds in flight and saving state")
                : folder.readiness(sync.readiness());
    }

    // ---- state ---------------------------------------------------------------------------------------

    private void restore(ValidatorState state) {
        rounds.restore(state.round(), state.scores());
        weights.restore(state.lastWeights(), state.pending());
        List<String> hotkeys = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (ValidatorState.ScoreEntry entry : state.scores()) {
            hotkeys.add(entry.hotkey());
            scores.add(entry.score());
        }
        book = ScoreBook.restore(new ScoreBookState(hotkeys, scores), bookOptions);
        ValidatorLog.stateRestored(folder.statePath(), state.round(), scores.size(), state.lastWeights());
    }

    /** The state as it is saved: the book's scores with each uid's last reward, the round count and the weights. */
    private ValidatorState currentState() {
        List<ValidatorState.ScoreEntry> scores = new ArrayList<>();
        ScoreBookState snapshot = book.snapshot();
        for (int u = 0; u < snapshot.scores().size(); u++) {
            scores.add(new ValidatorState.ScoreEntry(u, snapshot.hotkeys().get(u), snapshot.scores().get(u),
                    rounds.lastReward(u)));
        }
        return new ValidatorState(ValidatorState.SCHEMA, netuid, hotkey, rounds.lastNumber(), System.currentTimeMillis(),
                scores, weights.lastWeights(), weights.pending());
    }

    // ---- status --------------------------------------------------------------------------------------

    /** This validator's moving-average score of {@code uid} (0 for a uid it has not scored). */
    public double score(int uid) {
        return book.score(uid);
    }

    /**
     * The document behind {@code /api/status} and the dashboard, for a caller on any thread. It is built on the service's
     * event loop, whose fields it reads: read from another thread they change under it, and the history list is mid-shift
     * while a round drops its oldest point.
     */
    public Future<Map<String, Object>> status() {
        Promise<Map<String, Object>> built = Promise.promise();
        home.runOnContext(v -> {
            try {
                built.complete(statusHere());
            } catch (RuntimeException e) {
                built.fail(e);
            }
        });
        return built.future();
    }

    /** {@link #status()}, on the service's event loop (the admin listener's requests are handled there). */
    private Map<String, Object> statusHere() {
        return new StatusDocument(new StatusDocument.Validator(hotkey, sync.uid(), netuid, sync.mode()), readiness(),
                sync.status(), rounds.counts(),
                new StatusDocument.Weights(weights.lastWeights(), weights.pending(), weights.lastRejection()),
                sync.metagraph(), rounds.tallies(), rounds.history(),
                organic == null ? null : organic.status()).toMap();
    }

    // ---- organic queries ------------------------------------------------------------------------------

    /** The organic API's port, or -1 when {@code organic.enabled} is false. */
    public int organicPort() {
        return organic == null ? -1 : organic.port();
    }

    /** A curl line that asks this validator's organic API, for the demo to print; empty when it is off. */
    public String organicExampleCurl() {
        return organic == null ? "" : organic.exampleCurl();
    }

    private Future<Void> startOrganic() {
        if (!config.organic().enabled()) {
            return Future.succeededFuture();
        }
        // Scoring organic answers has no deadline of its own; a consumer's request is meant to end within
        // organic.max_deadline, so a thread busy longer than that and the margin is stuck.
        organicPool = pool("chorus-organic", config.organic().workerThreads(), config.organic().maxDeadline());
        organicRounds = new OrganicRounds(config.organic(), netuid, hotkey, parts.organicMiners(), parts.scorer(),
                new OrganicBridge(), organicPool, parts.random());
        try {
            organic = OrganicServer.create(vertx, config.organic(), organicRounds, environment, organicMetrics);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        return organic.start().mapEmpty();
    }

    /**
     * Stops the organic listener, which answers the requests in flight as their rounds end, waits for those rounds,
     * then closes their client and pool.
     */
    private Future<Void> stopOrganic() {
        Duration limit = config.organic().maxDeadline().plus(config.rounds().roundDeadline());
        Future<Void> server = organic == null ? Future.succeededFuture() : organic.stop(limit);
        return Future.join(server, organicRoundsEnded(limit)).<Void>transform(ended -> Future.succeededFuture())
                .eventually(() -> {
            if (parts.organicMiners() != parts.miners()) {
                parts.organicMiners().close();
            }
            return organicPool == null ? Future.succeededFuture() : organicPool.close();
        });
    }

    /**
     * Completes when no organic round is in flight, or after {@code organic.max_deadline} (by which its miners are cut
     * off) and {@code rounds.round_deadline} (what scoring a round is given): a round still running then is left.
     */
    private Future<Void> organicRoundsEnded(Duration limit) {
        if (organicRounds == null) {
            return Future.succeededFuture();
        }
        return endedWithin(organicRounds.idle(), limit, () -> ValidatorLog.organicRoundsLeft(organicRounds.inFlight(), limit));
    }

    /** Succeeds once {@code work} ends, however it ends, or after {@code limit}, when {@code late} says what is left. */
    private Future<Void> endedWithin(Future<?> work, Duration limit, Runnable late) {
        Promise<Void> ended = Promise.promise();
        long timer = vertx.setTimer(limit.toMillis(), id -> {
            if (ended.tryComplete()) {
                late.run();
            }
        });
        work.onComplete(done -> {
            vertx.cancelTimer(timer);
            ended.tryComplete();
        });
        return ended.future();
    }

    /**
     * What the weights and the synthetic rounds read of the service, on its event loop (the rounds read the book on the
     * disk pool too), and the pools and state folder the weights share with it.
     */
    private final class ServiceBridge implements WeightSetter.View, WeightSetter.Host, SyntheticRounds.View {
        @Override
        public Metagraph metagraph() {
            return sync.metagraph();
        }

        @Override
        public Hyperparameters hyperparameters() {
            return sync.hyperparameters();
        }

        @Override
        public long block() {
            return sync.block();
        }

        @Override
        public OptionalInt uid() {
            return sync.uid();
        }

        @Override
        public double[] scores() {
            return book.scores();
        }

        @Override
        public ScoreBook book() {
            return book;
        }

        @Override
        public boolean stopping() {
            return stopping;
        }

        @Override
        public boolean roundRecordedSinceStart() {
            return rounds.recordedSinceStart();
        }

        @Override
        public <T> Future<T> onChain(String operation, Callable<T> call) {
            return sync.onChain(operation, call);
        }

        @Override
        public Future<Void> saveStateNow() {
            return folder.saveNow();
        }

        @Override
        public void saveStateLater() {
            folder.saveLater();
        }

    }

    /** The service's part in each metagraph sync, on its event loop: the book follows the uids, then the weights act. */
    private final class SyncBridge implements MetagraphSync.Host {
        @Override
        public void followHotkeys(List<String> hotkeys) {
            List<String> known = book.snapshot().hotkeys();
            for (int u = 0; u < Math.min(known.size(), hotkeys.size()); u++) {
                if (!known.get(u).equals(hotkeys.get(u))) {
                    ValidatorLog.hotkeyReplaced(u, known.get(u), hotkeys.get(u));
                    rounds.forget(u);
                }
            }
            if (hotkeys.size() < known.size()) {
                // Subnets only grow (a full one replaces uids): fewer uids means a reset chain or a node out of step.
                ValidatorLog.subnetShrank(netuid, known.size(), hotkeys.size());
                // The book drops those uids; a hotkey that takes one when the subnet grows again is a new miner too.
                for (int u = hotkeys.size(); u < known.size(); u++) {
                    rounds.forget(u);
                }
            }
            book.resync(hotkeys);
        }

        @Override
        public void synced() {
            weights.noticeLostWeights();
            // A weights transaction can wait chain.receipt_timeout for its receipt; neither the next sync nor the
            // start-up, which waits for the first sync, waits with it. Composed on a completed future so that a throw
            // inside settlePending reaches the handler too.
            Future.succeededFuture().compose(v -> weights.settlePending()).compose(v -> weights.maybeSetWeights())
                    .onComplete(ValidatorService.this::weightsStepEnded);
        }
    }

    /** The state the folder saves, and whether the service is stopping, after which only the stop saves. */
    private final class FolderBridge implements StateFolder.View {
        @Override
        public ValidatorState current() {
            return currentState();
        }

        @Override
        public boolean stopping() {
            return stopping;
        }
    }

    /**
     * Organic rounds read the metagraph and scores, and write to the same score book and round log. They run on the
     * organic listener's own event loop: a Metagraph is an immutable record, so reading the field from there sees
     * either the previous or the latest complete snapshot.
     */
    private final class OrganicBridge implements OrganicHost {
        @Override
        public Metagraph metagraph() {
            return sync.metagraph();
        }

        @Override
        public double score(int uid) {
            return book.score(uid);
        }

        @Override
        public void record(RoundRecord round, double scoreWeight) {
            if (scoreWeight > 0) {
                Map<Integer, Double> rewards = new HashMap<>();
                Map<Integer, String> asked = new HashMap<>();
                round.miners().forEach(m -> {
                    rewards.put(m.uid(), m.reward());
                    asked.put(m.uid(), m.hotkey());
                });
                book.record(rewards, scoreWeight, asked);
            }
            folder.appendRoundOrRecordWhy(round);
        }
    }
}
