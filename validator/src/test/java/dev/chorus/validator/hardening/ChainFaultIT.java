package dev.chorus.validator.hardening;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.PendingCommit;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.WeightRow;
import dev.chorus.chain.testing.RpcProxy;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.ChainClients;
import dev.chorus.validator.ValidatorService;
import dev.chorus.validator.state.StateFile;
import dev.chorus.validator.state.ValidatorState;
import dev.chorus.validator.testing.BlockClock;
import dev.chorus.validator.testing.TestSubnet;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.utils.Convert;
import org.web3j.utils.Numeric;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chain misbehaves under a running validator: its RPC stops and comes back, answers errors, sees a transaction
 * from the validator's own key sent elsewhere, reverts a weights transaction in its block, and reorganises a commit
 * and a setWeights away. The validator talks to Anvil through a real HTTP proxy on loopback that injects the RPC faults; through all
 * of it rounds keep being scored, the gap shows in {@code /health/ready} and {@code /metrics}, and every weights
 * transaction on chain is one the validator meant to send once.
 */
class ChainFaultIT {

    static final int TEMPO = 10;
    static final long BLOCK_MS = 200;
    /**
     * Rounds that must complete while the chain is down or hangs. Their pace depends on how busy the machine is, so
     * this asks only that they go on: a round that waited on a chain call (four 2 s attempts) would manage one.
     */
    static final int ROUNDS_GOING_ON = 3;

    static TestSubnet subnet;
    static OnnxEmbeddingModel model;
    static RpcProxy proxy;
    static BlockClock blocks;
    static int uid;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    ValidatorService service;

    @BeforeAll
    static void startSubnet() throws Exception {
        List<Miner> miners = new ArrayList<>();
        MinerFaultIT.HONEST.forEach(text -> miners.add(q -> text));
        subnet = TestSubnet.start(TEMPO, miners);
        uid = subnet.owner.metagraph(subnet.netuid).byHotkey(subnet.validator.address()).orElseThrow().uid();
        model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
        proxy = new RpcProxy(subnet.chain.rpcUrl());
        blocks = BlockClock.start(subnet.chain, Duration.ofMillis(BLOCK_MS));
    }

    @AfterAll
    static void stopSubnet() throws Exception {
        if (blocks != null) {
            blocks.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (model != null) {
            model.close();
        }
        if (subnet != null) {
            subnet.close();
        }
    }

    @AfterEach
    void stopValidator() throws Exception {
        proxy.fail(null, 1);
        blocks.resume();
        if (service != null) {
            await(service.stop());
        }
    }

    /** A validator whose chain client reaches Anvil only through the proxy, built as the CLI builds it. */
    private void startValidator(Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("chain.rpc_url", proxy.url(),
                "chain.rpc_timeout", "2s", "chain.retry_backoff", "100ms", "chain.receipt_poll", "50ms",
                "chain.receipt_timeout", "20s"));
        SubnetChain chain = ChainClients.connect(config.chain(), subnet.validator.credentials());
        service = await(ValidatorService.start(subnet.vertx, config,
                subnet.validatorParts(config, chain, model, () -> MinerFaultIT.QUESTION), "", router -> { }));
    }

    // ---- 1. RPC stopped, then restarted ----------------------------------------------------------------------

    @Test
    void rpcStoppedForSecondsThenRestarted(@TempDir Path state) throws Exception {
        survivesAnRpcOutage(state, Duration.ofSeconds(12));
    }

    @Test
    @Tag("long")
    void rpcStoppedForAMinuteThenRestarted(@TempDir Path state) throws Exception {
        survivesAnRpcOutage(state, Duration.ofSeconds(60));
    }

    private void survivesAnRpcOutage(Path state, Duration outage) throws Exception {
        startValidator(state);
        awaitNewWeights(subnet.weightsSetEvents(uid), Duration.ofSeconds(30));
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        double rounds = rounds();
        double errors = rpcErrors();

        LogSecretScan log = LogSecretScan.start();
        proxy.stop();
        long stopped = System.nanoTime();
        awaitTrue("readiness to drop", Duration.ofSeconds(10), () -> get("/health/ready").statusCode() == 503);
        long detectedMs = millisSince(stopped);
        HttpResponse<String> notReady = get("/health/ready");
        assertThat(notReady.body()).contains("chain unreachable at " + proxy.url() + ": ",
                "; check chain.rpc_url and that the node is running");
        assertThat(notReady.body().split("Failed to connect", -1)).as("the cause once: %s", notReady.body()).hasSize(2);
        sleepUntil(stopped + outage.toNanos(), () -> assertThat(get("/health/ready").statusCode())
                .as("ready during the outage").isEqualTo(503));
        String metricsDuringOutage = get("/metrics").body();
        assertThat(metricsDuringOutage).contains("chorus_validator_ready 0.0");
        double roundsDuringOutage = rounds() - rounds;
        double errorsDuringOutage = rpcErrors() - errors;
        assertThat(roundsDuringOutage).as("rounds completed during the outage").isGreaterThanOrEqualTo(ROUNDS_GOING_ON);
        assertThat(errorsDuringOutage).as("chorus_chain_rpc_errors_total growth").isPositive();

        long weightsBefore = subnet.weightsSetEvents(uid);
        proxy.restart();
        long restarted = System.nanoTime();
        awaitTrue("readiness after the restart", Duration.ofSeconds(10), () -> get("/health/ready").statusCode() == 200);
        long readyMs = millisSince(restarted);
        log.close();
        long outageWarnings = log.text().lines().filter(line -> line.startsWith("chain call ")).count();
        assertThat(outageWarnings).as("an outage is logged once per kind of failure, not at every refresh: %s", log.text())
                .isBetween(1L, 4L).isLessThan((long) errorsDuringOutage);
        assertThat(log.text()).contains("the chain answers again");
        awaitNewWeights(weightsBefore, Duration.ofSeconds(30));
        long weightsMs = millisSince(restarted);
        System.out.printf("chain fault rpc-outage: %d s outage, not ready after %d ms, %.0f rounds completed and %.0f chain "
                        + "errors counted during it; ready %d ms and weights on chain %d ms after the restart%n",
                outage.toSeconds(), detectedMs, roundsDuringOutage, errorsDuringOutage, readyMs, weightsMs);
    }

    @Test
    void anRpcThatNeverAnswersHoldsUpNoRound(@TempDir Path state) throws Exception {
        startValidator(state);
        awaitNewWeights(subnet.weightsSetEvents(uid), Duration.ofSeconds(30));
        double rounds = rounds();
        double errors = rpcErrors();
        proxy.fail(RpcProxy.Fault.HANG, 1);
        long hung = System.nanoTime();
        // Each attempt waits out chain.rpc_timeout (2 s): a call gives up after four of them, about 9 s.
        awaitTrue("readiness to drop", Duration.ofSeconds(20), () -> get("/health/ready").statusCode() == 503);
        long detectedMs = millisSince(hung);
        awaitTrue("rounds to go on while chain calls hang", Duration.ofSeconds(15),
                () -> rounds() - rounds >= ROUNDS_GOING_ON);
        double roundsWhileHung = rounds() - rounds;
        assertThat(rpcErrors()).isGreaterThan(errors);
        long weights = subnet.weightsSetEvents(uid);
        proxy.fail(null, 1);
        long answered = System.nanoTime();
        awaitTrue("readiness once the node answers", Duration.ofSeconds(30), () -> get("/health/ready").statusCode() == 200);
        long readyMs = millisSince(answered);
        awaitNewWeights(weights, Duration.ofSeconds(30));
        System.out.printf("chain fault rpc-hang: not ready after %d ms of unanswered calls, %.0f rounds completed meanwhile; "
                + "ready %d ms and weights %d ms after the node answered again%n", detectedMs, roundsWhileHung, readyMs,
                millisSince(answered));
    }

    // ---- 2. RPC errors ----------------------------------------------------------------------------------------

    @Test
    void transientRpcErrorsAreRetriedAndPersistentOnesCounted(@TempDir Path state) throws Exception {
        startValidator(state);
        awaitNewWeights(subnet.weightsSetEvents(uid), Duration.ofSeconds(30));
        for (RpcProxy.Fault fault : List.of(RpcProxy.Fault.HTTP_500, RpcProxy.Fault.RPC_LIMIT_EXCEEDED)) {
            double errors = rpcErrors();
            long faulted = proxy.faulted();
            long weights = subnet.weightsSetEvents(uid);
            proxy.fail(fault, 3);
            awaitNewWeights(weights, Duration.ofSeconds(30));
            assertThat(get("/health/ready").statusCode()).isEqualTo(200);
            proxy.fail(null, 1);
            assertThat(proxy.faulted() - faulted).as("%s answers", fault).isPositive();
            assertThat(rpcErrors()).as("errors counted while every third request failed with %s", fault).isEqualTo(errors);
            System.out.printf("chain fault rpc-errors-transient %s: %d requests failed, all retried, weights landed, 0 errors "
                    + "counted%n", fault, proxy.faulted() - faulted);
        }

        double errors = rpcErrors();
        double rounds = rounds();
        long faulted = proxy.faulted();
        proxy.fail(RpcProxy.Fault.HTTP_500, 1);
        long broken = System.nanoTime();
        awaitTrue("readiness to drop", Duration.ofSeconds(10), () -> get("/health/ready").statusCode() == 503);
        awaitTrue("errors counted while every request fails", Duration.ofSeconds(10), () -> rpcErrors() > errors);
        awaitTrue("rounds while every request fails", Duration.ofSeconds(15),
                () -> rounds() - rounds >= ROUNDS_GOING_ON);
        long weights = subnet.weightsSetEvents(uid);
        proxy.fail(null, 1);
        long healed = System.nanoTime();
        awaitTrue("readiness after the errors stop", Duration.ofSeconds(10), () -> get("/health/ready").statusCode() == 200);
        long readyMs = millisSince(healed);
        awaitNewWeights(weights, Duration.ofSeconds(30));
        System.out.printf("chain fault rpc-errors-persistent: %d ms of HTTP 500s, %d requests failed, %.0f chain errors "
                        + "counted, %.0f rounds completed; ready %d ms and weights %d ms after they stopped%n",
                millisSince(broken) - millisSince(healed), proxy.faulted() - faulted, rpcErrors() - errors, rounds() - rounds,
                readyMs, millisSince(healed));
    }

    // ---- 3. nonce used elsewhere ------------------------------------------------------------------------------

    @Test
    void aTransactionFromTheValidatorKeySentElsewhereDoesNotStallWeights(@TempDir Path state) throws Exception {
        startValidator(state);
        awaitNewWeights(subnet.weightsSetEvents(uid), Duration.ofSeconds(30));
        long sentBefore = subnet.transactionsSentBy(subnet.validator.address());
        Web3j web3j = Web3j.build(new HttpService(subnet.chain.rpcUrl()));
        try {
            Transfer transfers = new Transfer(web3j, new RawTransactionManager(web3j, subnet.validator.credentials(),
                    subnet.chain.chainId()));
            for (int i = 0; i < 3; i++) {
                TransactionReceipt transfer = transfers.sendFunds(subnet.chain.devAccount(0).address(), BigDecimal.ONE,
                        Convert.Unit.WEI).send();
                assertThat(transfer.isStatusOK()).isTrue();
            }
        } finally {
            web3j.shutdown();
        }
        long weights = subnet.weightsSetEvents(uid);
        long transferred = System.nanoTime();
        awaitNewWeights(weights, Duration.ofSeconds(30));
        assertThat(rejections()).as("weights rejected").isZero();
        assertThat(subnet.transactionsSentBy(subnet.validator.address())).isGreaterThan(sentBefore + 3);
        System.out.printf("chain fault nonce-used-elsewhere: 3 transfers from the validator key, next weights on chain "
                + "%d ms later%n", millisSince(transferred));
    }

    // ---- 4. a weights transaction that reverts in its block -----------------------------------------------------

    @Test
    void aRevertedWeightsTransactionIsCountedWithItsReasonAndNotRetriedBlindly(@TempDir Path state) throws Exception {
        startValidator(state);
        Hyperparameters hyperparameters = subnet.owner.hyperparameters(subnet.netuid);
        awaitNewWeights(subnet.weightsSetEvents(uid), Duration.ofSeconds(30));
        ClientOptions urgent = new ClientOptions(OptionalLong.of(subnet.chain.chainId()), Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofMillis(10), 4, Duration.ofMillis(20),
                Optional.of(BigInteger.valueOf(50_000_000_000L)), 25, Optional.empty());
        String revertedTx;
        blocks.pause();
        subnet.chain.setAutomine(false);
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
             Web3jSubnetChain urgentOwner = Web3jSubnetChain.local(subnet.chain.rpcUrl(), subnet.contract,
                     subnet.chain.devAccount(0).credentials(), urgent)) {
            long due = subnet.owner.metagraph(subnet.netuid).neuron(uid).lastUpdate() + TEMPO;
            long head = subnet.chain.blockNumber();
            assertThat(head).as("the validator is not due yet").isLessThan(due);
            if (due - 1 > head) {
                subnet.chain.mine(due - 1 - head);
            }
            Thread.sleep(1_000);
            assertThat(subnet.chain.pendingTransactions()).as("weights sent a block early").isZero();
            subnet.chain.mine(1);
            awaitTrue("the validator's weights in the pool", Duration.ofSeconds(10), () -> subnet.chain.pendingTransactions() == 1);
            // A higher tip puts the owner's change first in the block, after the weights passed gas estimation.
            CompletableFuture<?> raise = CompletableFuture.runAsync(() -> urgentOwner.setHyperparameters(subnet.netuid,
                    hyperparameters.with("weightsVersionKey", "5")), senders);
            awaitTrue("the owner's change in the pool", Duration.ofSeconds(10), () -> subnet.chain.pendingTransactions() == 2);
            subnet.chain.mine(1);
            raise.get(10, TimeUnit.SECONDS);
            awaitTrue("the rejection to be counted", Duration.ofSeconds(10), () -> submissions("rejected_version_key") == 1);
            @SuppressWarnings("unchecked")
            Map<String, Object> rejection = (Map<String, Object>) await(service.status()).get("last_rejection");
            assertThat(rejection).containsEntry("reason", "version_key");
            revertedTx = (String) rejection.get("tx_hash");
        } finally {
            subnet.chain.setAutomine(true);
            blocks.resume();
        }
        assertThat(receiptStatus(revertedTx)).as("status of the reverted weights transaction").isEqualTo("0x0");
        assertThat(get("/metrics").body()).contains("chorus_validator_weights_submissions_total{outcome=\"rejected_version_key\"} 1.0");

        long sent = subnet.transactionsSentBy(subnet.validator.address());
        long rejectedAt = subnet.chain.blockNumber();
        double rounds = rounds();
        awaitTrue("two more tempos", Duration.ofSeconds(30), () -> subnet.chain.blockNumber() >= rejectedAt + 2L * TEMPO + 2);
        assertThat(subnet.transactionsSentBy(subnet.validator.address())).as("transactions sent while the version key is too low")
                .isEqualTo(sent);
        assertThat(submissions("rejected_version_key")).as("rejections in two tempos (once per tempo at most)")
                .isBetween(1.0, 3.0);
        assertThat(rounds()).as("rounds after the rejection").isGreaterThan(rounds);

        long weights = subnet.weightsSetEvents(uid);
        subnet.owner.setHyperparameters(subnet.netuid, hyperparameters);
        awaitNewWeights(weights, Duration.ofSeconds(30));
        System.out.printf("chain fault reverted-weights: tx %s reverted (IncorrectWeightVersionKey), %.0f rejections counted "
                + "over two tempos, no transaction resent; weights set again once the key was lowered%n",
                revertedTx, submissions("rejected_version_key"));
    }

    // ---- 5. a reorg that drops a commit -------------------------------------------------------------------------

    @Test
    void aCommitReorganisedAwayIsNoticedAndNeverSentTwice(@TempDir Path state) throws Exception {
        Hyperparameters hyperparameters = subnet.owner.hyperparameters(subnet.netuid);
        subnet.owner.setHyperparameters(subnet.netuid, hyperparameters.with("commitRevealEnabled", "true").with("revealPeriod", "2"));
        try {
            startValidator(state);
            awaitTrue("a commit on chain", Duration.ofSeconds(30), () -> pendingWeights().map(p -> p.status().equals("committed")).orElse(false));
            ValidatorState.WeightsRecord lost = pendingWeights().orElseThrow();
            blocks.pause();
            long depth = subnet.chain.blockNumber() - lost.block() + 1;
            assertThat(commitsOf(subnet.owner.pendingCommits(subnet.netuid, subnet.validator.address()))).contains(lost.commitHash());
            subnet.chain.reorg(depth);
            assertThat(commitsOf(subnet.owner.pendingCommits(subnet.netuid, subnet.validator.address())))
                    .as("commits after the reorg").doesNotContain(lost.commitHash());
            assertThat(receiptStatus(lost.txHash())).as("the commit's receipt after the reorg").isNull();
            blocks.resume();
            long reorganised = System.nanoTime();

            awaitTrue("the lost commit noticed", Duration.ofSeconds(10), () -> submissions("commit_lost") == 1);
            long noticedMs = millisSince(reorganised);
            awaitTrue("weights revealed after the reorg", Duration.ofSeconds(60), () -> await(service.status()).get("last_weights")
                    instanceof ValidatorState.WeightsRecord last && last.status().equals("revealed"));
            long revealedMs = millisSince(reorganised);
            await(service.stop());
            service = null;

            Map<String, Long> committed = subnet.events("WeightsCommitted(uint16,address,bytes32,uint64)",
                            BigInteger.valueOf(subnet.netuid), Numeric.toBigInt(subnet.validator.address())).stream()
                    .map(log -> ((EthLog.LogObject) log).getData().substring(0, 66))
                    .collect(Collectors.groupingBy(hash -> hash, Collectors.counting()));
            assertThat(committed).as("commits on chain by hash").doesNotContainKey(lost.commitHash())
                    .allSatisfy((hash, count) -> assertThat(count).as("commits of %s", hash).isEqualTo(1));
            ValidatorState.WeightsRecord last = new StateFile(state).load(subnet.netuid, subnet.validator.address())
                    .orElseThrow().lastWeights();
            assertThat(committed).containsKey(last.commitHash());
            WeightRow row = subnet.owner.weights(subnet.netuid, uid);
            assertThat(row.uids()).isEqualTo(last.uids());
            assertThat(row.values()).isEqualTo(last.values());
            System.out.printf("chain fault reorg: commit %s reorganised away (depth %d), noticed after %d ms, new weights "
                    + "revealed after %d ms; %d commits on chain, each sent once%n", lost.commitHash(), depth, noticedMs,
                    revealedMs, committed.size());
        } finally {
            blocks.resume();
            subnet.owner.setHyperparameters(subnet.netuid, hyperparameters);
        }
    }

    // ---- 6. a reorg that drops a setWeights -----------------------------------------------------------------------

    @Test
    void weightsReorganisedAwayAreNoticedAndSentAgain(@TempDir Path state) throws Exception {
        startValidator(state);
        awaitTrue("weights confirmed", Duration.ofSeconds(30), () -> lastWeights().map(w -> w.status().equals("confirmed")).orElse(false));
        ValidatorState.WeightsRecord lost = lastWeights().orElseThrow();
        blocks.pause();
        long depth = subnet.chain.blockNumber() - lost.block() + 1;
        subnet.chain.reorg(depth);
        assertThat(receiptStatus(lost.txHash())).as("the weights' receipt after the reorg").isNull();
        assertThat(subnet.owner.metagraph(subnet.netuid).neuron(uid).lastUpdate()).isLessThan(lost.block());
        blocks.resume();
        long reorganised = System.nanoTime();

        awaitTrue("the lost weights noticed", Duration.ofSeconds(10), () -> submissions("weights_lost") == 1);
        long noticedMs = millisSince(reorganised);
        // The same weights signed with the same nonce and fees make the very same transaction, hash included: what
        // tells the new submission apart is its id.
        awaitTrue("weights confirmed again", Duration.ofSeconds(30), () -> lastWeights()
                .map(w -> w.status().equals("confirmed") && !w.id().equals(lost.id())).orElse(false));
        long resentMs = millisSince(reorganised);
        ValidatorState.WeightsRecord again = lastWeights().orElseThrow();
        assertThat(again.block()).as("sent again at once, not a tempo later").isLessThan(lost.block() + depth + TEMPO);
        WeightRow row = subnet.owner.weights(subnet.netuid, uid);
        assertThat(row.uids()).isEqualTo(again.uids());
        assertThat(row.values()).isEqualTo(again.values());
        System.out.printf("chain fault reorg of setWeights: tx %s reorganised away (depth %d), noticed after %d ms, "
                + "weights on chain again after %d ms (block %d)%n", lost.txHash(), depth, noticedMs, resentMs, again.block());
    }

    private Optional<ValidatorState.WeightsRecord> lastWeights() throws Exception {
        return Optional.ofNullable((ValidatorState.WeightsRecord) await(service.status()).get("last_weights"));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private Optional<ValidatorState.WeightsRecord> pendingWeights() throws Exception {
        return Optional.ofNullable((ValidatorState.WeightsRecord) await(service.status()).get("pending_weights"));
    }

    private static List<String> commitsOf(List<PendingCommit> commits) {
        return commits.stream().map(PendingCommit::hash).toList();
    }

    /** A transaction's receipt status as Anvil reports it ("0x1", "0x0"), null when the chain does not hold it. */
    private static String receiptStatus(String txHash) throws Exception {
        Web3j web3j = Web3j.build(new HttpService(subnet.chain.rpcUrl()));
        try {
            return web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt().map(TransactionReceipt::getStatus).orElse(null);
        } finally {
            web3j.shutdown();
        }
    }

    private static void awaitNewWeights(long eventsBefore, Duration patience) throws Exception {
        awaitTrue("weights set on chain", patience, () -> subnet.weightsSetEvents(uid) > eventsBefore);
    }

    private double rounds() {
        Counter completed = service.metrics().registry().find("chorus_validator_rounds").tag("outcome", "completed").counter();
        return completed == null ? 0 : completed.count();
    }

    private double rpcErrors() {
        return service.metrics().registry().find("chorus_chain_rpc_errors").counters().stream().mapToDouble(Counter::count).sum();
    }

    private double submissions(String outcome) {
        Counter counter = service.metrics().registry().find("chorus_validator_weights_submissions").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private double rejections() {
        return service.metrics().registry().find("chorus_validator_weights_submissions").counters().stream()
                .filter(c -> c.getId().getTag("outcome").startsWith("rejected_")).mapToDouble(Counter::count).sum();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.adminPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    interface Check {
        boolean holds() throws Exception;
    }

    interface Assertion {
        void check() throws Exception;
    }

    private static void awaitTrue(String what, Duration patience, Check check) throws Exception {
        long until = System.nanoTime() + patience.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("waited " + patience + " for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** Runs {@code assertion} every 250 ms until {@code deadline} (System.nanoTime). */
    private static void sleepUntil(long deadline, Assertion assertion) throws Exception {
        while (System.nanoTime() < deadline) {
            assertion.check();
            Thread.sleep(250);
        }
    }
}
