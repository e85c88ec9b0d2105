package dev.chorus.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.WeightRow;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.hardening.LogSecretScan;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;
import dev.chorus.validator.state.StateFile;
import dev.chorus.validator.state.ValidatorState;
import dev.chorus.validator.testing.TestSubnet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The validator service end to end: real chain, real miners over HTTP, the real model, weights on chain. */
class ValidatorServiceIT {

    static final Query QUESTION = new Query("water-boiling", "At what temperature does water boil at sea level?", null);
    /** The query ids the first miner was sent. */
    static final Queue<String> QUERY_IDS = new ConcurrentLinkedQueue<>();
    static final List<Miner> ANSWERERS = List.of(
            q -> {
                QUERY_IDS.add(q.queryId());
                return "At sea level water boils at 100 degrees Celsius, which is 212 degrees Fahrenheit.";
            },
            q -> "Water boils at 100 °C (212 °F) under standard atmospheric pressure at sea level.",
            q -> "The boiling point of water at sea level is one hundred degrees Celsius.",
            q -> "The Battle of Hastings was fought in 1066 between the Normans and the English.",
            q -> {
                throw new IllegalStateException("model crashed");
            });

    static TestSubnet subnet;
    static OnnxEmbeddingModel model;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startSubnet() throws Exception {
        subnet = TestSubnet.start(100, ANSWERERS);
        startModel();
    }

    @AfterAll
    static void stopSubnet() throws Exception {
        stopModel();
        if (subnet != null) {
            subnet.close();
        }
    }

    static void startModel() {
        model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
    }

    static void stopModel() {
        if (model != null) {
            model.close();
        }
    }

    static ValidatorService.Parts parts(ValidatorConfig config) {
        return subnet.validatorParts(config, subnet.client(subnet.validator), model, () -> QUESTION);
    }

    @Test
    void scoresMinersAndSetsWeightsWhereTheOffTopicMinerIsLowest(@TempDir Path state) throws Exception {
        // Weights are due at once, so the first round's answers make the row: a deadline that a loaded machine's cold
        // miners can miss would weigh an honest miner 0 and fail the comparison for a reason that is not scoring's.
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.miner_timeout", "4s",
                "rounds.round_deadline", "5s", "rounds.period", "5s"));
        // a tempo of blocks since this hotkey's last weights (another test's), so that weights are due at once
        subnet.chain.mine(101);
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        try {
            int validatorUid = subnet.owner.metagraph(subnet.netuid).byHotkey(subnet.validator.address()).orElseThrow().uid();
            WeightRow row = waitForWeights(validatorUid, Duration.ofSeconds(60));
            Metagraph metagraph = subnet.owner.metagraph(subnet.netuid);
            int[] uids = subnet.minerAccounts.stream()
                    .mapToInt(a -> metagraph.byHotkey(a.address()).orElseThrow().uid()).toArray();
            int offTopic = row.weightOn(uids[3]);
            for (int honest = 0; honest < 3; honest++) {
                assertThat(row.weightOn(uids[honest])).as("honest miner %d", honest).isGreaterThan(offTopic);
            }
            assertThat(row.weightOn(uids[4])).as("failing miner").isLessThanOrEqualTo(offTopic);

            // The row is on chain as soon as the block is mined; the validator counts the submission once its receipt
            // poll sees it, up to chain.receipt_poll later.
            String confirmed = "chorus_validator_weights_submissions_total{outcome=\"confirmed\"}";
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (sample(service, confirmed) == 0) {
                assertThat(System.nanoTime()).as("the weights submission counted as confirmed").isLessThan(deadline);
                Thread.sleep(50);
            }
            // Every series exists from the start at 0, so what the rounds did shows in the values.
            assertThat(sample(service, "chorus_validator_rounds_total{outcome=\"completed\"}")).isPositive();
            assertThat(sample(service, "chorus_validator_miner_requests_total{outcome=\"ok\"}")).isPositive();
            assertThat(sample(service, "chorus_validator_miner_latency_seconds_count{outcome=\"ok\"}")).isPositive();
            assertThat(sample(service, "chorus_validator_embedding_duration_seconds_count")).isPositive();
            assertThat(sample(service, "chorus_validator_miner_requests_total{outcome=\"http_status\"}")).as("the crashing miner").isPositive();
            String metrics = get(service, "/metrics").body();
            assertThat(metrics)
                    .contains("chorus_validator_blocks_since_weights")
                    .contains("chorus_chain_rpc_errors_total").doesNotContain("NaN");
            assertThat(get(service, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(get(service, "/health/live").statusCode()).isEqualTo(200);
            String status = get(service, "/api/status").body();
            assertThat(status).contains("\"mode\":\"validating\"").contains("\"miners\":[");
        } finally {
            await(service.stop());
        }
        assertThat(new StateFile(state).load(subnet.netuid, subnet.validator.address())).isPresent();
        Metagraph now = subnet.owner.metagraph(subnet.netuid);
        int validatorUid = now.byHotkey(subnet.validator.address()).orElseThrow().uid();
        assertThat(RoundLog.read(state.resolve(RoundLog.FILE_NAME)).rounds()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.queryId()).as("the log names the corpus entry").isEqualTo(QUESTION.id());
            assertThat(r.metagraph()).as("the uids it would weigh, for a replay")
                    .isEqualTo(RoundRecord.MetagraphView.of(now, subnet.validator.address()));
            assertThat(r.metagraph().notMiners()).as("its own uid is no miner of its").contains(validatorUid);
            assertThat(r.miners()).allSatisfy(m -> assertThat(r.metagraph().weighs(m.uid())).isTrue());
        });
        assertThat(QUERY_IDS).as("miners see a random id, never the corpus entry's").isNotEmpty()
                .allSatisfy(id -> assertThat(UUID.fromString(id).toString()).isEqualTo(id));
    }

    @Test
    void weightsAboveTheFeeCeilingAreNotSentAndTheChainIsNotBlamed(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of());
        // One wei per gas: below any base fee Anvil charges, so every weights transaction meets the ceiling.
        ClientOptions local = ClientOptions.localChain(subnet.chain.chainId());
        ClientOptions oneWei = new ClientOptions(local.expectedChainId(), local.httpTimeout(), local.receiptTimeout(),
                local.receiptPoll(), local.rpcAttempts(), local.retryBackoff(), local.maxPriorityFee(),
                local.gasMarginPercent(), Optional.of(BigInteger.ONE));
        // a tempo of blocks since this hotkey's last weights (another test's), so that weights are due at once
        subnet.chain.mine(101);
        try (SubnetChain capped = Web3jSubnetChain.local(subnet.chain.rpcUrl(), subnet.contract,
                subnet.validator.credentials(), oneWei)) {
            ValidatorService service = await(ValidatorService.start(subnet.vertx, config,
                    subnet.validatorParts(config, capped, model, () -> QUESTION), "", router -> { }));
            try {
                String notSent = "chorus_validator_weights_submissions_total{outcome=\"fee_above_ceiling\"}";
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (sample(service, notSent) == 0) {
                    assertThat(System.nanoTime()).as("a weights submission refused by the fee ceiling").isLessThan(deadline);
                    Thread.sleep(100);
                }
                String metrics = get(service, "/metrics").body();
                assertThat(metrics).contains("chorus_validator_weights_submissions_total{outcome=\"unconfirmed\"} 0.0")
                        .contains("chorus_chain_rpc_errors_total{operation=\"set_weights\"} 0.0");
                assertThat(get(service, "/health/ready").statusCode()).isEqualTo(200);
                assertThat(java.util.stream.IntStream.range(0, 8).mapToDouble(service::score).sum()).as("the scores are kept")
                        .isPositive();
            } finally {
                await(service.stop());
            }
        }
    }

    /**
     * A chain started afresh under a validator's saved state (a local chain restarted, a node out of step) shows the
     * subnet with fewer uids than the saved book knows: the validator says so, and drops the scores of the uids gone.
     */
    @Test
    void aChainResetUnderASavedStateIsReportedAsASubnetThatShrank(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of());
        ValidatorService before = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        int uidsBefore;
        try (LogSecretScan log = LogSecretScan.start()) {
            try {
                TestSubnet.runRoundOnceSynced(before);
                uidsBefore = subnet.owner.metagraph(subnet.netuid).size();
            } finally {
                await(before.stop());
            }
            assertThat(log.text()).as("the last line of a stop").endsWith("stopped; state saved after round "
                    + before.roundsDone() + "\n");
        }
        ValidatorState saved = new StateFile(state).load(subnet.netuid, subnet.validator.address()).orElseThrow();
        try (TestSubnet reset = TestSubnet.start(100, ANSWERERS.subList(0, 1));
             LogSecretScan log = LogSecretScan.start()) {
            int uidsNow = reset.owner.metagraph(reset.netuid).size();
            assertThat(uidsNow).isLessThan(uidsBefore);
            ValidatorConfig again = reset.validatorConfig(state, Map.of());
            ValidatorService after = await(ValidatorService.start(reset.vertx, again,
                    reset.validatorParts(again, reset.client(reset.validator), model, () -> QUESTION), "", router -> { }));
            try {
                assertThat(log.text()).contains("state restored from " + state.resolve(StateFile.FILE_NAME) + ": round "
                        + saved.round() + ", scores of " + saved.scores().size() + " uids, last weights "
                        + (saved.lastWeights() == null ? "none yet"
                                : saved.lastWeights().id() + " (" + saved.lastWeights().status() + ")"));
                String warning = "subnet " + reset.netuid + " now has " + uidsNow + " uids where it had " + uidsBefore;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!log.text().contains(warning)) {
                    assertThat(System.nanoTime()).as("the warning '%s'", warning).isLessThan(deadline);
                    Thread.sleep(100);
                }
                assertThat(log.text()).contains("On a local chain that was restarted, the old state belongs to the old"
                        + " chain: stop, and start again with a fresh state.dir");
                assertThat(after.score(uidsNow)).as("a uid the chain no longer has keeps no score").isZero();
            } finally {
                await(after.stop());
            }
        }
    }

    /**
     * Rounds skipped for want of miners are counted alike in /metrics and /api/status, apart from the rounds run, and
     * the warning names no round number: that number belongs to the first round that does run.
     */
    @Test
    void aSubnetWithNoMinerToAskSkipsRoundsAndSaysSo(@TempDir Path state) throws Exception {
        String skipped = "chorus_validator_rounds_total{outcome=\"skipped_no_miners\"}";
        try (TestSubnet empty = TestSubnet.start(100, List.of()); LogSecretScan log = LogSecretScan.start()) {
            ValidatorConfig config = empty.validatorConfig(state, Map.of("rounds.period", "200ms", "rounds.round_deadline", "150ms",
                    "rounds.miner_timeout", "100ms"));
            ValidatorService service = await(ValidatorService.start(empty.vertx, config,
                    empty.validatorParts(config, empty.client(empty.validator), model, () -> QUESTION), "", router -> { }));
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (sample(service, skipped) < 3) {
                    assertThat(System.nanoTime()).as("three rounds skipped for want of miners").isLessThan(deadline);
                    Thread.sleep(100);
                }
                assertThat(get(service, "/metrics").body()).contains("chorus_validator_rounds_total{outcome=\"completed\"} 0.0");
                assertThatThrownBy(() -> service.runRound().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                        .hasMessageContaining("no miner to ask");
            } finally {
                await(service.stop());
            }
            // Stopped, so that no round is skipped between the two reads.
            Map<?, ?> rounds = (Map<?, ?>) await(service.status()).get("rounds");
            assertThat(rounds.get("count")).as("rounds run").isEqualTo(0L);
            long counted = (long) service.metrics().registry().get("chorus_validator_rounds").tag("outcome", "skipped_no_miners")
                    .counter().count();
            assertThat(rounds.get("since_start")).as("rounds.since_start against /metrics").asInstanceOf(InstanceOfAssertFactories.MAP)
                    .containsEntry("skipped_no_miners", counted);
            assertThat(log.text().lines().filter(line -> line.contains("no miner to ask")).toList()).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).doesNotContainPattern("round \\d"));
        }
    }

    @Test
    void oneValidatorPerStateFolderAndABusyAdminPortIsNamed(@TempDir Path state, @TempDir Path other) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        ValidatorService first = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        try {
            ValidatorConfig sameFolder = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
            assertThatThrownBy(() -> await(ValidatorService.start(subnet.vertx, sameFolder, parts(sameFolder), "", router -> { })))
                    .hasMessageContaining("is in use by another validator").hasMessageContaining("give this one its own state.dir");

            ValidatorConfig samePort = subnet.validatorConfig(other, Map.of("rounds.period", "1h",
                    "admin.port", Integer.toString(first.adminPort())));
            assertThatThrownBy(() -> await(ValidatorService.start(subnet.vertx, samePort, parts(samePort), "", router -> { })))
                    .hasMessageContaining("the admin server cannot listen on").hasMessageContaining("admin.port");
            assertThat(get(first, "/health/live").statusCode()).isEqualTo(200);
        } finally {
            await(first.stop());
        }
        ValidatorService next = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        await(next.stop());
    }

    @Test
    void aSubnetThatDoesNotExistStopsTheStart(@TempDir Path state) {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("chain.netuid", "99"));
        try (LogSecretScan log = LogSecretScan.start()) {
            assertThatThrownBy(() -> await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { })))
                    .hasMessageContaining("subnet 99 does not exist on this chain").hasMessageContaining("chain.netuid");
            assertThat(log.text()).as("no line saying that rounds go on, which the failed start would contradict")
                    .doesNotContain("Rounds go on with the last metagraph");
        }
    }

    @Test
    void aStateFolderThatCannotBeWrittenKeepsTheScoresAndIsReportedUntilItCanBeAgain(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        Path blocker = state.resolve(StateFile.FILE_NAME + ".tmp");
        try {
            TestSubnet.runRoundOnceSynced(service);
            TestSubnet.blockStateSaves(state);
            TestSubnet.runRound(service);
            HttpResponse<String> ready = get(service, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("cannot be written").contains("a folder is in the way");
            assertThat(get(service, "/metrics").body()).contains("chorus_validator_state_write_failures_total 1.0");
            assertThat(service.roundsDone()).isEqualTo(2);

            Files.delete(blocker.resolve("in-the-way"));
            Files.delete(blocker);
            TestSubnet.runRound(service);
            assertThat(get(service, "/health/ready").statusCode()).isEqualTo(200);
            assertThat(new StateFile(state).load(subnet.netuid, subnet.validator.address())).hasValueSatisfying(
                    saved -> assertThat(saved.round()).isEqualTo(3));
        } finally {
            await(service.stop());
        }
    }

    /**
     * A validator whose state file was lost (deleted, or damaged and set aside) numbers its rounds on from the last one
     * in its round log: they started again at 1, and a round log's numbers repeated.
     */
    @Test
    void aValidatorThatLostItsStateFileNumbersItsRoundsOnFromTheRoundLog(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        ValidatorService first = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        try {
            TestSubnet.runRoundOnceSynced(first);
            TestSubnet.runRound(first);
        } finally {
            await(first.stop());
        }
        Files.delete(state.resolve(StateFile.FILE_NAME));

        ValidatorService next = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        try {
            TestSubnet.runRoundOnceSynced(next);
            assertThat(next.roundsDone()).isEqualTo(3);
        } finally {
            await(next.stop());
        }
        assertThat(RoundLog.read(state.resolve(RoundLog.FILE_NAME)).rounds()).extracting(RoundRecord::round)
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void aStopThatCannotSaveTheStateSaysSoLast(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        TestSubnet.runRoundOnceSynced(service);
        TestSubnet.blockStateSaves(state);
        try (LogSecretScan log = LogSecretScan.start()) {
            assertThatThrownBy(() -> await(service.stop())).hasMessageContaining("could not be saved at shutdown");

            assertThat(log.text()).as("the last line of a stop").containsPattern(
                    "stopped without saving the state: the state could not be saved at shutdown: .*"
                            + "; the scores since the last save are lost\\R$");
        }
    }

    /** A shutdown hook and a caller may both stop the service: the second waits for the first, saving nothing twice. */
    @Test
    void aSecondStopWaitsForTheFirstAndBothSayTheStateWasSaved(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        TestSubnet.runRoundOnceSynced(service);
        try (LogSecretScan log = LogSecretScan.start()) {
            Future<Void> first = service.stop();
            Future<Void> second = service.stop();
            await(first);
            await(second);
            await(service.stop());

            assertThat(log.text()).doesNotContain("stopped without saving");
            assertThat(log.text().lines().filter(line -> line.contains("stopping: finishing the rounds"))).hasSize(1);
            assertThat(log.text().lines().filter(line -> line.contains("stopped; state saved after round"))).hasSize(1);
        }
    }

    /**
     * A query that cannot be sent (here one without a prompt, from a query source other than a checked corpus) fails its
     * one round, counted and logged, and the rounds after it run: it must not leave a round in flight forever.
     */
    @Test
    void aQueryThatCannotBeSentFailsItsRoundAndTheNextRuns(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        Query unsendable = new Query("no-prompt", null, null);
        AtomicInteger drawn = new AtomicInteger();
        QuerySource queries = () -> drawn.getAndIncrement() == 0 ? unsendable : QUESTION;
        try (LogSecretScan log = LogSecretScan.start()) {
            ValidatorService service = await(ValidatorService.start(subnet.vertx, config,
                    subnet.validatorParts(config, subnet.client(subnet.validator), model, queries), "", router -> { }));
            try {
                waitUntilReady(service);
                assertThatThrownBy(() -> TestSubnet.runRound(service)).hasMessageContaining("no round started");
                assertThat(log.text()).contains("a round due now could not start (counted as failed)")
                        .contains("prompt is missing");
                TestSubnet.runRound(service);
                assertThat(get(service, "/metrics").body())
                        .contains("chorus_validator_rounds_total{outcome=\"failed\"} 1.0")
                        .contains("chorus_validator_rounds_total{outcome=\"completed\"} 1.0")
                        .contains("chorus_validator_rounds_total{outcome=\"skipped_overlap\"} 0.0");
            } finally {
                TestSubnet.await(service.stop());
            }
            assertThat(service.roundsDone()).as("only the round that ran took a number").isEqualTo(1);
        }
    }

    /**
     * A weights transaction waits for its receipt as long as chain.receipt_timeout allows: Vert.x must not report its
     * thread as blocked meanwhile, as it would at its own limit (here a quarter second, in production a minute).
     */
    @Test
    void aWeightsTransactionWaitingForItsReceiptIsNotReportedAsABlockedThread(@TempDir Path state) throws Exception {
        Vertx strict = Vertx.vertx(new VertxOptions()
                .setMaxWorkerExecuteTime(250).setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(50).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        // a tempo of blocks since this hotkey's last weights (another test's), so that weights are due at once
        subnet.chain.mine(101);
        try (LogSecretScan log = LogSecretScan.start()) {
            ValidatorService service = await(ValidatorService.start(strict, config, parts(config), "", router -> { }));
            try {
                sendWeightsThatWaitForTheirReceipt(service);
                Thread.sleep(1_000);
                assertThat(log.text().lines().filter(line -> line.contains("has been blocked for")))
                        .noneMatch(line -> line.contains("chorus-"));
            } finally {
                subnet.chain.setAutomine(true);
                subnet.chain.mine(1);
                await(service.stop());
                await(strict.close());
            }
        }
    }

    /**
     * A weights submission left unconfirmed by the last run is checked against the chain at every sync; a failure of
     * that check other than the chain's (here a weights row the client cannot read) is logged, once while it repeats,
     * and counted, never dropped.
     */
    @Test
    void aWeightsCheckThatFailsUnexpectedlyIsLoggedOnceAndCounted(@TempDir Path state) throws Exception {
        new StateFile(state).save(new ValidatorState(ValidatorState.SCHEMA, subnet.netuid, subnet.validator.address(), 0,
                System.currentTimeMillis(), List.of(), null, new ValidatorState.WeightsRecord("w1-unconfirmed", "set",
                List.of(2), List.of(65535), 0, List.of(), null, 1, 0, null, "intended", "")));
        SubnetChain real = subnet.client(subnet.validator);
        SubnetChain unreadableRows = (SubnetChain) java.lang.reflect.Proxy.newProxyInstance(SubnetChain.class.getClassLoader(),
                new Class<?>[] {SubnetChain.class}, (proxy, method, args) -> {
                    if (method.getName().equals("weights")) {
                        throw new IllegalStateException("weights row unreadable");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        String failure = "checking or setting weights failed: java.lang.IllegalStateException: weights row unreadable";
        try (LogSecretScan log = LogSecretScan.start()) {
            ValidatorService service = await(ValidatorService.start(subnet.vertx, config,
                    subnet.validatorParts(config, unreadableRows, model, () -> QUESTION), "", router -> { }));
            try {
                String counted = "chorus_chain_rpc_errors_total{operation=\"weights_row\"}";
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (sample(service, counted) < 3) {
                    assertThat(System.nanoTime()).as("three syncs checked the unconfirmed weights").isLessThan(deadline);
                    Thread.sleep(100);
                }
                assertThat(log.text().lines().filter(line -> line.contains(failure))).hasSize(1);
            } finally {
                await(service.stop());
            }
        }
    }

    /**
     * A weights check still waiting on the chain when the validator stops changes nothing once it is answered: the
     * stop saved the state and released the folder, so no save, nor a failed one, may follow it.
     */
    @Test
    void aWeightsCheckAnsweredAfterTheStopSavesNothing(@TempDir Path state) throws Exception {
        new StateFile(state).save(new ValidatorState(ValidatorState.SCHEMA, subnet.netuid, subnet.validator.address(), 0,
                System.currentTimeMillis(), List.of(), null, new ValidatorState.WeightsRecord("w1-unsettled", "set",
                List.of(2), List.of(65535), 0, List.of(), null, 1, 0, null, "intended", "")));
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
        SubnetChain real = subnet.client(subnet.validator);
        SubnetChain slowRows = (SubnetChain) java.lang.reflect.Proxy.newProxyInstance(SubnetChain.class.getClassLoader(),
                new Class<?>[] {SubnetChain.class}, (proxy, method, args) -> {
                    if (method.getName().equals("weights")) {
                        asked.countDown();
                        // a node slow to answer, past the stop's closing of the chain pool (which interrupts its thread)
                        while (true) {
                            try {
                                answer.await();
                                break;
                            } catch (InterruptedException closing) {
                                // still waiting for the node
                            }
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        Path file = state.resolve(StateFile.FILE_NAME);
        try (LogSecretScan log = LogSecretScan.start()) {
            ValidatorService service = await(ValidatorService.start(subnet.vertx, config,
                    subnet.validatorParts(config, slowRows, model, () -> QUESTION), "", router -> { }));
            try {
                assertThat(asked.await(30, TimeUnit.SECONDS)).as("the unsettled weights checked").isTrue();
            } finally {
                await(service.stop());
            }
            String savedAtStop = Files.readString(file);
            answer.countDown();
            Thread.sleep(1000);
            assertThat(Files.readString(file)).as("the state file after the stop").isEqualTo(savedAtStop);
            String text = log.text();
            String stopped = "stopped; state saved";
            assertThat(text).contains(stopped);
            assertThat(text.substring(text.lastIndexOf(stopped)).lines().skip(1)).as("lines logged after the stop").isEmpty();
        }
    }

    /** Stopped while a weights transaction waits for its receipt, the validator waits for it and saves its outcome. */
    @Test
    void stopWaitsForTheWeightsTransactionInFlightAndSavesItsOutcome(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        // a tempo of blocks since this hotkey's last weights (another test's), so that weights are due at once
        subnet.chain.mine(101);
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        Future<Void> stopped = null;
        try {
            sendWeightsThatWaitForTheirReceipt(service);
            stopped = service.stop();
            Thread.sleep(500);
            assertThat(stopped.isComplete()).as("stopped before the transaction was mined").isFalse();
        } finally {
            subnet.chain.setAutomine(true);
            subnet.chain.mine(1);
            await(stopped == null ? service.stop() : stopped);
        }
        assertThat(new StateFile(state).load(subnet.netuid, subnet.validator.address())).hasValueSatisfying(saved -> {
            assertThat(saved.pending()).as("nothing left to check against the chain").isNull();
            assertThat(saved.lastWeights().status()).isEqualTo("confirmed");
        });
    }

    @Test
    void stopWaitsForAWeightsTransactionNoLongerThanTheReceiptTimeoutAndKeepsItsIntent(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h", "chain.receipt_timeout", "2s"));
        subnet.chain.mine(101);
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        try {
            sendWeightsThatWaitForTheirReceipt(service);
            long before = System.nanoTime();
            await(service.stop());
            assertThat(Duration.ofNanos(System.nanoTime() - before)).as("a stop with the block never mined")
                    .isLessThan(Duration.ofSeconds(30));
        } finally {
            subnet.chain.setAutomine(true);
            subnet.chain.mine(1);
        }
        assertThat(new StateFile(state).load(subnet.netuid, subnet.validator.address())).hasValueSatisfying(saved ->
                assertThat(saved.pending()).as("the unconfirmed transaction, for the next start to settle").isNotNull());
    }

    /**
     * Stops Anvil mining on arrival and has {@code service} score a round, so that its weights (due at once) are sent
     * and wait for a block; the caller turns automine back on and mines it.
     */
    private static void sendWeightsThatWaitForTheirReceipt(ValidatorService service) throws Exception {
        subnet.chain.setAutomine(false);
        TestSubnet.runRoundOnceSynced(service);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (subnet.chain.pendingTransactions() == 0) {
            assertThat(System.nanoTime()).as("a weights transaction sent").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static void waitUntilReady(ValidatorService service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (get(service, "/health/ready").statusCode() != 200) {
            assertThat(System.nanoTime()).as("the validator synced with the chain").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /**
     * Weights due while the state folder cannot be written are not sent, since their intent is saved first: that is
     * a storage failure (counted, reported by /health/ready, logged as such), never blamed on the chain.
     */
    @Test
    void weightsWhoseIntentCannotBeSavedAreNotSentAndTheFolderIsBlamed(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        // a tempo of blocks since this hotkey's last weights (another test's), so that weights are due at once
        subnet.chain.mine(101);
        Path blocker = state.resolve(StateFile.FILE_NAME + ".tmp");
        long sentBefore = subnet.transactionsSentBy(subnet.validator.address());
        try (LogSecretScan log = LogSecretScan.start()) {
            ValidatorService service = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
            try {
                TestSubnet.blockStateSaves(state);
                TestSubnet.runRoundOnceSynced(service);
                String notSaved = "chorus_validator_weights_submissions_total{outcome=\"intent_not_saved\"}";
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                // the round's write, the intent's, then the save after the submission
                while (sample(service, notSaved) == 0 || sample(service, "chorus_validator_state_write_failures_total") < 3) {
                    assertThat(System.nanoTime()).as("weights not sent for want of a saved intent").isLessThan(deadline);
                    if (sample(service, "chorus_validator_weights_submissions_total{outcome=\"skipped_no_scores\"}") > 0
                            && sample(service, notSaved) == 0) {
                        // a cold first round can find every miner too slow, leaving nothing to weigh: another round
                        TestSubnet.runRound(service);
                    }
                    Thread.sleep(100);
                }
                assertThat(sample(service, "chorus_validator_weights_submissions_total{outcome=\"unconfirmed\"}")).isZero();
                HttpResponse<String> ready = get(service, "/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("cannot be written").contains("a folder is in the way");
                assertThat(log.text()).contains("not sent, as their intent could not be saved first")
                        .doesNotContain("the chain did not confirm");
                assertThat(log.text().lines().filter(line -> line.contains("their intent could not be saved"))).hasSize(1);
                assertThat(subnet.transactionsSentBy(subnet.validator.address())).as("transactions sent").isEqualTo(sentBefore);

                // Fixed, the folder takes the next intent: that save alone, with no round since, makes the validator ready.
                long rounds = service.roundsDone();
                Files.delete(blocker.resolve("in-the-way"));
                Files.delete(blocker);
                deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (get(service, "/health/ready").statusCode() != 200) {
                    assertThat(System.nanoTime()).as("ready again after a successful save").isLessThan(deadline);
                    Thread.sleep(100);
                }
                assertThat(service.roundsDone()).as("rounds run").isEqualTo(rounds);
                // The recovery is said, since every try while the folder was broken was said only once.
                String recovered = "the state folder can be written again; sending set_weights of";
                while (!log.text().contains(recovered)) {
                    assertThat(System.nanoTime()).as("the line '%s'", recovered).isLessThan(deadline);
                    Thread.sleep(100);
                }
            } finally {
                // Stopped whatever the clean-up does: a validator left running would go on sending this hotkey's
                // weights, and take the nonces the next tests' validators expect.
                try {
                    TestSubnet.unblockStateSaves(state);
                } finally {
                    await(service.stop());
                }
            }
        }
    }

    /**
     * A round log that cannot be written (here its rotation cannot delete the oldest rotated log) keeps neither the
     * state from being saved nor the round from being kept; it is reported as the round log's problem until a line is
     * written again.
     */
    @Test
    void aRoundLogThatCannotBeWrittenStillSavesTheStateAndIsReportedApart(@TempDir Path state) throws Exception {
        // a full log, whose next line rotates it, and in place of the oldest rotated log a folder that is not empty
        Files.writeString(state.resolve(RoundLog.FILE_NAME), "\n".repeat(4095));
        Path oldest = state.resolve(RoundLog.FILE_NAME + ".1");
        Files.createDirectories(oldest.resolve("in-the-way"));
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h",
                "state.round_log_max_bytes", "4096", "state.round_log_keep", "1"));
        try (LogSecretScan log = LogSecretScan.start()) {
            ValidatorService service = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
            try {
                TestSubnet.runRoundOnceSynced(service);
                assertThat(new StateFile(state).load(subnet.netuid, subnet.validator.address())).as("the state saved")
                        .hasValueSatisfying(saved -> assertThat(saved.round()).isEqualTo(1));
                HttpResponse<String> ready = get(service, "/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).contains("the round log").contains(RoundLog.FILE_NAME);
                assertThat(sample(service, "chorus_validator_state_write_failures_total")).isPositive();
                assertThat(log.text()).contains("round 1 is scored and kept, but it is missing from the round log")
                        .doesNotContain("its scores are kept in memory");

                // The opened folder (the log makes what it rotates owner-only) is traversable again, then removed.
                Files.setPosixFilePermissions(oldest, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
                Files.delete(oldest.resolve("in-the-way"));
                Files.delete(oldest);
                TestSubnet.runRound(service);
                assertThat(get(service, "/health/ready").statusCode()).isEqualTo(200);
                assertThat(RoundLog.read(state.resolve(RoundLog.FILE_NAME)).rounds()).extracting(r -> r.round())
                        .containsExactly(2L);
            } finally {
                await(service.stop());
            }
        }
    }

    /**
     * Weights sent without a receipt are kept pending with their transaction's hash. While the node still pools that
     * transaction nothing is sent again, neither by this process nor by the next one (whose fresh client would take
     * the next nonce, and both could land); once it is mined its weights are recorded as confirmed late.
     */
    @Test
    void weightsLeftWithoutAReceiptAreWaitedForAndNotSentAgainAcrossARestart(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h", "chain.receipt_timeout", "2s"));
        // a tempo of blocks since this hotkey's last weights (another test's), so that weights are due at once
        subnet.chain.mine(101);
        ClientOptions local = ClientOptions.localChain(subnet.chain.chainId());
        ClientOptions quick = new ClientOptions(local.expectedChainId(), local.httpTimeout(), Duration.ofSeconds(2),
                local.receiptPoll(), local.rpcAttempts(), local.retryBackoff(), local.maxPriorityFee(),
                local.gasMarginPercent(), local.maxFeePerGas());
        SubnetChain first = Web3jSubnetChain.local(subnet.chain.rpcUrl(), subnet.contract, subnet.validator.credentials(), quick);
        SubnetChain second = Web3jSubnetChain.local(subnet.chain.rpcUrl(), subnet.contract, subnet.validator.credentials(), quick);
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config,
                subnet.validatorParts(config, first, model, () -> QUESTION), "", router -> { }));
        ValidatorService restarted = null;
        try {
            String txHash;
            try {
                sendWeightsThatWaitForTheirReceipt(service);
                JsonNode sent = awaitPendingStatus(service, "sent");
                txHash = sent.path("tx_hash").asText();
                assertThat(txHash).startsWith("0x");
                Thread.sleep(1500);
                assertThat(subnet.chain.pendingTransactions()).as("transactions in the pool after several syncs").isEqualTo(1);
                assertThat(pendingWeights(service).path("tx_hash").asText()).isEqualTo(txHash);
            } finally {
                await(service.stop());
            }
            assertThat(new StateFile(state).load(subnet.netuid, subnet.validator.address())).hasValueSatisfying(saved -> {
                assertThat(saved.pending().status()).isEqualTo("sent");
                assertThat(saved.pending().txHash()).isEqualTo(txHash);
            });

            restarted = await(ValidatorService.start(subnet.vertx, config,
                    subnet.validatorParts(config, second, model, () -> QUESTION), "", router -> { }));
            // a round scored by this run, so that weights are due again
            TestSubnet.runRoundOnceSynced(restarted);
            Thread.sleep(1500);
            assertThat(subnet.chain.pendingTransactions()).as("transactions in the pool after the restart").isEqualTo(1);
            assertThat(pendingWeights(restarted).path("tx_hash").asText()).isEqualTo(txHash);

            subnet.chain.setAutomine(true);
            subnet.chain.mine(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonNode last = lastWeights(restarted);
            while (!last.path("status").asText().equals("confirmed")) {
                assertThat(System.nanoTime()).as("the mined transaction recorded").isLessThan(deadline);
                Thread.sleep(100);
                last = lastWeights(restarted);
            }
            assertThat(last.path("tx_hash").asText()).as("the weights on chain are the first transaction's").isEqualTo(txHash);
            assertThat(sample(restarted, "chorus_validator_weights_submissions_total{outcome=\"confirmed_late\"}")).isEqualTo(1);
        } finally {
            subnet.chain.setAutomine(true);
            subnet.chain.mine(1);
            if (restarted != null) {
                await(restarted.stop());
            }
            first.close();
            second.close();
        }
    }

    private static JsonNode pendingWeights(ValidatorService service) throws Exception {
        return STATUS_JSON.readTree(get(service, "/api/status").body()).path("pending_weights");
    }

    private static JsonNode lastWeights(ValidatorService service) throws Exception {
        return STATUS_JSON.readTree(get(service, "/api/status").body()).path("last_weights");
    }

    private static JsonNode awaitPendingStatus(ValidatorService service, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode pending = pendingWeights(service);
        while (!pending.path("status").asText().equals(status)) {
            assertThat(System.nanoTime()).as("pending weights " + status).isLessThan(deadline);
            Thread.sleep(100);
            pending = pendingWeights(service);
        }
        return pending;
    }

    private static final ObjectMapper STATUS_JSON = new ObjectMapper();

    /** The value of {@code series} (name and labels, as scraped) in /metrics; 0 while it is not there. */
    private static double sample(ValidatorService service, String series) throws Exception {
        String prefix = series + " ";
        return get(service, "/metrics").body().lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()))).findFirst().orElse(0);
    }

    @Test
    void startsAfreshFromADamagedStateFileAndKeepsItAside(@TempDir Path state) throws Exception {
        Files.writeString(state.resolve(StateFile.FILE_NAME), "{\"schema\": 1, \"netuid\": ");
        // No scheduled round: the one run below is the only one.
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        try {
            assertThat(get(service, "/health/live").statusCode()).isEqualTo(200);
            try (var files = Files.list(state)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .anySatisfy(name -> assertThat(name).startsWith(StateFile.FILE_NAME + ".corrupt-"));
            }
            service.runRound().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            await(service.stop());
        }
        assertThat(new StateFile(state).load(subnet.netuid, subnet.validator.address())).as("a fresh state file")
                .hasValueSatisfying(saved -> assertThat(saved.round()).isEqualTo(1));
    }

    @Test
    void aRoundPastItsDeadlineIsKeptAndCountedOverdue(@TempDir Path state) throws Exception {
        // A 1 ms deadline: the miners are cut off at once, and scoring and saving the round take longer than that.
        ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h",
                "rounds.miner_timeout", "1ms", "rounds.round_deadline", "1ms"));
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { }));
        try (LogSecretScan log = LogSecretScan.start()) {
            service.runRound().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(get(service, "/metrics").body())
                    .contains("chorus_validator_rounds_total{outcome=\"completed\"} 1.0")
                    .contains("chorus_validator_rounds_overdue_total 1.0");
            assertThat(log.text()).as("the advice starts with the miners' timeout, which leaves no time to score")
                    .contains("past rounds.round_deadline (1 ms)", "rounds.miner_timeout (1 ms) for its miners, which"
                            + " leaves 0 ms to score: lower rounds.miner_timeout first");
        } finally {
            await(service.stop());
        }
        assertThat(new StateFile(state).load(subnet.netuid, subnet.validator.address()))
                .hasValueSatisfying(saved -> assertThat(saved.round()).as("the overdue round is kept").isEqualTo(1));
    }

    @Test
    void refusesAnotherValidatorsStateFileAndLeavesItAsItWas(@TempDir Path state) throws Exception {
        StateFile file = new StateFile(state);
        file.save(new ValidatorState(ValidatorState.SCHEMA, subnet.netuid, "0x0000000000000000000000000000000000000001", 9,
                1_700_000_000_000L, List.of(), null, null));
        byte[] before = Files.readAllBytes(file.path());
        ValidatorConfig config = subnet.validatorConfig(state, Map.of());

        Future<ValidatorService> start = ValidatorService.start(subnet.vertx, config, parts(config), "", router -> { });

        assertThatThrownBy(() -> await(start)).hasMessageContaining("belongs to netuid " + subnet.netuid
                + " and hotkey 0x0000000000000000000000000000000000000001").hasMessageContaining("point state.dir at");
        assertThat(Files.readAllBytes(file.path())).as("the other validator's state file").isEqualTo(before);
    }

    private WeightRow waitForWeights(int validatorUid, Duration patience) throws InterruptedException {
        long until = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < until) {
            WeightRow row = subnet.owner.weights(subnet.netuid, validatorUid);
            if (!row.uids().isEmpty()) {
                return row;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the validator set no weights within " + patience);
    }

    static HttpResponse<String> get(ValidatorService service, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.adminPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
