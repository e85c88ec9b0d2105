package dev.chorus.validator;

import dev.chorus.chain.ChainException;
import dev.chorus.chain.SubnetChain;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.corpus.CorpusException;
import dev.chorus.miner.corpus.QaCorpus;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.server.StopOnSignal;
import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.organic.OrganicServer;
import dev.chorus.validator.state.StateLock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

/** Runs one validator process from its settings until SIGTERM or Ctrl-C. */
public final class ValidatorLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ValidatorLauncher.class);

    private ValidatorLauncher() {
    }

    /**
     * @param env the process environment, where the hotkey, the admin token and the organic API keys are read from
     * @return the process exit code
     */
    public static int run(ValidatorConfig config, Map<String, String> env) throws Exception {
        Credentials key = ValidatorKey.load(config.key(), env);
        if (config.organic().enabled()) {
            // Before the waits for the chain and the model: a key the listener would refuse must stop the start at once.
            OrganicServer.checkApiKeys(config.organic(), env);
        }
        QuerySource queries;
        try {
            queries = new CorpusQuerySource(QaCorpus.loadOrBuiltIn(config.rounds().querySet()), new SecureRandom());
        } catch (CorpusException e) {
            throw new IllegalArgumentException("rounds.query_set: " + e.getMessage(), e);
        }
        // Here, not in the admin listener: it opens twice in a start (while starting, then the service's).
        new ListenerTls("admin.", config.admin().tlsCertFile(), config.admin().tlsKeyFile())
                .warnIfPlainOffLoopback(config.admin().host(), "admin token");
        // Before the wait for the chain, which may be long: a second validator on this folder must stop at once.
        StateLock lock = StateLock.acquire(config.state().dir());
        Vertx vertx = Vertx.vertx();
        String adminToken = env.getOrDefault(config.admin().tokenEnv(), "").trim();
        SubnetChain chain = null;
        OnnxEmbeddingModel model = null;
        ValidatorService service;
        boolean lockHandedOver = false;
        try {
            try (StartingAdmin starting = StartingAdmin.open(vertx, config, key.getAddress().toLowerCase(Locale.ROOT), adminToken)) {
                chain = connectWithRetry(config, key, starting);
                starting.waitingFor("loading the embedding model (embedding.model)");
                model = OnnxEmbeddingModel.open(EmbeddingOptions.from(config.embedding()));
            }
            Hotkey hotkey = Hotkey.of(key);
            HttpMinerClient miners = new HttpMinerClient(vertx, hotkey, HttpMinerClientOptions.from(config.rounds()));
            RoundScorer scorer = new RoundScorer(model, new ConsensusScorer(ScoringOptions.from(config.scoring(), config.rounds().minerTimeout())));
            ValidatorService.Parts parts = new ValidatorService.Parts(chain, miners, scorer, queries, new SecureRandom(),
                    new HttpMinerClient(vertx, hotkey, HttpMinerClientOptions.from(config.rounds())));
            // Every step of the start is bounded by its own setting (chain.rpc_timeout and retries for the first sync).
            lockHandedOver = true;
            service = await(ValidatorService.start(vertx, config, parts, adminToken, env, lock));
        } catch (Throwable failed) {
            if (!lockHandedOver) {
                lock.close();
            }
            // Vert.x's threads are not daemons: a caller that goes on after a failed start must not inherit them.
            if (model != null) {
                model.close();
            }
            if (chain != null) {
                chain.close();
            }
            vertx.close().await();
            throw failed;
        }
        SubnetChain openChain = chain;
        OnnxEmbeddingModel openModel = model;

        CountDownLatch stopped = new CountDownLatch(1);
        // On SIGTERM and Ctrl-C the stop runs before the JVM shuts down, while ONNX Runtime still works: the rounds in
        // flight score after the signal.
        StopOnSignal.install("chorus-shutdown", () -> {
            try {
                // No time limit of our own: the model may only close once the rounds in flight have scored (stop
                // bounds the organic ones), and a supervisor that cannot wait sends SIGKILL, which the atomic state
                // file survives.
                service.stop().toCompletionStage().toCompletableFuture().join();
            } catch (CompletionException e) {
                LOG.warn("shutdown did not finish cleanly: {}", e.toString());
            } finally {
                openModel.close();
                openChain.close();
                vertx.close();
                stopped.countDown();
            }
        });
        stopped.await();
        return 0;
    }

    /** The future's result, waited for on this (non event-loop) thread; its failure is thrown as it is. */
    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** A node that does not answer yet is waited for, and {@code starting} says so; any other failure stops the start. */
    private static SubnetChain connectWithRetry(ValidatorConfig config, Credentials key, StartingAdmin starting)
            throws InterruptedException {
        long backoff = config.chain().retryBackoff().toMillis();
        while (true) {
            try {
                return ChainClients.connect(config.chain(), key);
            } catch (ChainException e) {
                if (!(e.getCause() instanceof java.io.IOException)) {
                    throw e;
                }
                String reason = ChainClients.chainProblem(config.chain(), e);
                starting.chainUnreachable(reason);
                ValidatorLog.chainNotReachableYet(reason, backoff);
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, Math.max(config.chain().retryBackoff().toMillis(),
                        config.chain().rpcTimeout().toMillis()));
            }
        }
    }
}
