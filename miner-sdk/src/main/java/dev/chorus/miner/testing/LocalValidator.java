package dev.chorus.miner.testing;

import dev.chorus.chain.Neuron;
import dev.chorus.config.MinerServerSettings;
import dev.chorus.config.RoundSettings;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.EpistulaHeaders;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.scored.RoundAnswers;
import dev.chorus.miner.server.AsyncMiner;
import dev.chorus.miner.server.Miner;
import dev.chorus.miner.server.MinerServer;
import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import io.vertx.core.Vertx;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A validator of one, on loopback, for trying a miner without a chain. It starts the miner's real {@link MinerServer}
 * on 127.0.0.1 over an in-memory subnet in which this validator's generated hotkey holds a validator permit and the
 * miner's generated hotkey holds uid {@value #MINER_UID}, and asks it queries signed with the validator's hotkey
 * through the SDK's {@link HttpMinerClient}, as a validator's rounds do. Nothing is bypassed: the server checks every
 * query as it checks a real validator's, so a miner slower than the deadline comes back as {@code TIMEOUT}, and one
 * that throws as the {@code MINER_FAILED} refusal a validator gets (the exception itself is in the miner's log).
 *
 * <p>Scoring is opt-in ({@link Builder#scoring()}): it loads the embedding model, which takes seconds.
 *
 * <p>The methods block: call them from a test or a {@code main}, never from a Vert.x thread (an event loop or a worker).
 */
public final class LocalValidator implements AutoCloseable {

    /** The miner's uid in the local subnet; the validator holds uid 0. */
    public static final int MINER_UID = 1;
    /** The deadline of {@link #ask(String)}: a validator's default {@code rounds.miner_timeout}. */
    public static final Duration DEFAULT_TIMEOUT = RoundSettings.defaults().minerTimeout();
    /**
     * The queries a second this validator may send. A validator's scoring rounds ask a miner once each (every 12 s by
     * default); a test asks as fast as it calls {@link #ask}, and the miner's per-validator limit
     * (server.requests_per_second, 10 by default) would refuse a quick miner's answers from about the eleventh on, a
     * refusal those rounds never meet.
     */
    private static final double BACK_TO_BACK_RATE = 1_000_000;
    /** A validator's score of a miner it has not scored yet; every answer of a scored round has it. */
    private static final double NEW_MINER_TRUST = 0;

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final MinerServer server;
    private final HttpMinerClient client;
    private final Neuron miner;
    private final OnnxEmbeddingModel model;
    private final RoundScorer scorer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalValidator(Vertx vertx, boolean ownsVertx, MinerServer server, HttpMinerClient client, Neuron miner,
                           OnnxEmbeddingModel model, RoundScorer scorer) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.server = server;
        this.client = client;
        this.miner = miner;
        this.model = model;
        this.scorer = scorer;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The port the miner listens on, for a look at its {@code /metrics} or {@code /health/ready}. */
    public int port() {
        return server.port();
    }

    /** Asks the miner {@code prompt} with a validator's default deadline, {@link #DEFAULT_TIMEOUT}. */
    public MinerAnswer ask(String prompt) {
        return ask(prompt, DEFAULT_TIMEOUT);
    }

    /**
     * Asks the miner {@code prompt} in a query signed by this validator, due {@code timeout} from now; returns what a
     * validator gets: the signed answer with its latency, or the kind of failure (and the miner's refusal code).
     */
    public MinerAnswer ask(String prompt, Duration timeout) {
        requireOpen();
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be a positive duration, got " + timeout);
        }
        QueryRequest query = QueryRequest.qa(UUID.randomUUID().toString(), SubnetFixture.NETUID, prompt,
                System.currentTimeMillis() + timeout.toMillis());
        return client.query(miner, query).await();
    }

    /** {@link #score(String, MinerAnswer, List, String)} for a query without a reference answer. */
    public MinerScore score(String prompt, MinerAnswer answer, List<String> others) {
        return score(prompt, answer, others, null);
    }

    /**
     * What a validator's scorer gives {@code answer} to {@code prompt} in a round in which other miners answered
     * {@code others}: the reward, and the penalties that cut it. Every answer weighs the same in the consensus, as
     * those of miners the validator has not scored yet do; the others count as given before this one, so an answer
     * that copies one of them is paid nothing. A failed answer earns 0.
     *
     * @param reference the validator's reference answer, or null when the query has none
     * @throws IllegalStateException when this validator was started without {@link Builder#scoring()}
     */
    public MinerScore score(String prompt, MinerAnswer answer, List<String> others, String reference) {
        requireOpen();
        if (scorer == null) {
            throw new IllegalStateException("scoring is off: start the validator with LocalValidator.builder()"
                    + ".scoring() to load the embedding model");
        }
        List<RoundAnswer> round = new ArrayList<>();
        round.add(RoundAnswers.of(answer, NEW_MINER_TRUST));
        int uid = answer.uid();
        for (String other : Objects.requireNonNull(others, "others")) {
            round.add(RoundAnswer.answered(++uid, other, Duration.ZERO, NEW_MINER_TRUST));
        }
        return scorer.score(new Round(prompt, round, reference)).forUid(answer.uid()).orElseThrow();
    }

    /**
     * After close the client and the server are gone, and a query would come back as the miner's failure (or, on an own
     * Vert.x, as a Netty rejection): neither is the miner's doing.
     */
    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this LocalValidator is closed; ask and score before close(), or start"
                    + " another with LocalValidator.builder()");
        }
    }

    /**
     * Stops the client, then the server (letting a query in flight finish), the model and an own Vert.x. A second
     * close does nothing: the Vert.x it would reach is closed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        client.close();
        try {
            server.close().await();
        } finally {
            if (model != null) {
                model.close();
            }
            if (ownsVertx) {
                vertx.close().await();
            }
        }
    }

    /**
     * Signs and checks one message, as each query's exchange does four times (query and answer, signed and checked):
     * the first signature in a JVM loads and compiles the curve arithmetic, most of a second on a busy machine, and it
     * would come out of the first {@link #ask}'s deadline, not out of the miner's time.
     */
    private static void warmUpSignatures(Hotkey validator, Hotkey miner) {
        byte[] body = "warm-up".getBytes(StandardCharsets.UTF_8);
        EpistulaHeaders signed = Epistula.sign(validator, body, miner.address(), System.currentTimeMillis());
        Epistula.recoverSigner(Epistula.message(body, signed.uuid(), signed.timestamp(), signed.signedFor()),
                signed.signature());
    }

    /** Collects the miner and what it runs with; {@link #start()} starts it. */
    public static final class Builder {
        private Vertx vertx;
        private Consumer<MinerServer.Builder> serve;
        private MinerServerSettings options = MinerServerSettings.defaults();
        private ScoringOptions scoring;
        private EmbeddingOptions embedding;

        private Builder() {
        }

        /** A blocking miner, as {@link MinerServer.Builder#miner} serves it. */
        public Builder miner(Miner miner) {
            Objects.requireNonNull(miner, "miner");
            this.serve = server -> server.miner(miner);
            return this;
        }

        /** A non-blocking miner, as {@link MinerServer.Builder#asyncMiner} serves it. */
        public Builder asyncMiner(AsyncMiner miner) {
            Objects.requireNonNull(miner, "miner");
            this.serve = server -> server.asyncMiner(miner);
            return this;
        }

        /** Shares a Vert.x (the one an async miner uses, say), which stays open on close; else one of its own. */
        public Builder vertx(Vertx vertx) {
            this.vertx = vertx;
            return this;
        }

        /**
         * The miner server's settings, e.g. those of the miner's config, bound to 127.0.0.1 on a free port as
         * {@link MinerServerSettings#onLoopback} binds them; the validator holds their min_validator_stake. Their
         * requests_per_second and rate_burst do not apply: this validator asks as often as a test calls {@link #ask}.
         */
        public Builder options(MinerServerSettings options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Scores with a validator's default scoring and embedding settings. */
        public Builder scoring() {
            return scoring(ScoringOptions.defaults(), EmbeddingOptions.defaults());
        }

        public Builder scoring(ScoringOptions scoring, EmbeddingOptions embedding) {
            this.scoring = Objects.requireNonNull(scoring, "scoring");
            this.embedding = Objects.requireNonNull(embedding, "embedding");
            return this;
        }

        /**
         * Loads the model when scoring, starts the miner's server and waits until it listens. A start that fails has
         * closed what it opened.
         */
        public LocalValidator start() {
            if (serve == null) {
                throw new IllegalArgumentException("a miner is required: LocalValidator.builder().miner(query -> answer)"
                        + " or .asyncMiner(...)");
            }
            // Checked before anything starts: found by the first await, after the model was loaded and the server's
            // start begun, the failure left that server listening on a shared Vert.x.
            if (Vertx.currentContext() != null) {
                throw new IllegalStateException("start a LocalValidator from a test or a main thread, not from a Vert.x"
                        + " thread (an event loop or a worker): its calls block until the miner answers");
            }
            boolean ownsVertx = vertx == null;
            Vertx used = ownsVertx ? Vertx.vertx() : vertx;
            OnnxEmbeddingModel model = null;
            try {
                model = scoring == null ? null : OnnxEmbeddingModel.open(embedding);
                RoundScorer scorer = model == null ? null : new RoundScorer(model, new ConsensusScorer(scoring));
                Hotkey validatorKey = Hotkey.random();
                Hotkey minerKey = Hotkey.random();
                SubnetFixture subnet = new SubnetFixture();
                subnet.validator(validatorKey, options.minValidatorStake());
                // Its axon is known only once the server listens; the server itself reads only the hotkeys.
                Neuron registered = subnet.miner(minerKey, 1);
                MinerServer.Builder server = MinerServer.builder().vertx(used).hotkey(minerKey)
                        .netuid(SubnetFixture.NETUID).metagraph(subnet::metagraph)
                        .options(options.onLoopback(BACK_TO_BACK_RATE));
                serve.accept(server);
                MinerServer started = server.start().await();
                warmUpSignatures(validatorKey, minerKey);
                return new LocalValidator(used, ownsVertx, started,
                        new HttpMinerClient(used, validatorKey, HttpMinerClientOptions.defaults()),
                        SubnetFixture.servingOn(registered, started.port()), model, scorer);
            } catch (Throwable e) {
                // Throwable, not RuntimeException: Future.await rethrows a failure's cause as it is, checked or not.
                if (model != null) {
                    model.close();
                }
                if (ownsVertx) {
                    used.close().await();
                }
                throw e;
            }
        }
    }
}
