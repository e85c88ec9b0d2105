package dev.chorus.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.chain.WeightRow;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.validator.state.StateFile;
import dev.chorus.validator.state.ValidatorState;
import dev.chorus.validator.testing.BlockClock;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;

/** On a subnet with commit-reveal on, the validator commits a hash, then reveals it in the reveal epoch. */
class CommitRevealIT {

    static TestSubnet subnet;
    static BlockClock blocks;

    @BeforeAll
    static void start() throws Exception {
        subnet = TestSubnet.start(6, ValidatorServiceIT.ANSWERERS.subList(0, 4));
        subnet.owner.setHyperparameters(subnet.netuid, subnet.owner.hyperparameters(subnet.netuid)
                .with("commitRevealEnabled", "true").with("revealPeriod", "1"));
        ValidatorServiceIT.subnet = subnet;
        ValidatorServiceIT.startModel();
        blocks = BlockClock.start(subnet.chain, Duration.ofMillis(250));
    }

    @AfterAll
    static void stop() throws Exception {
        if (blocks != null) {
            blocks.close();
        }
        ValidatorServiceIT.stopModel();
        if (subnet != null) {
            subnet.close();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void commitsThenRevealsInTheRevealEpoch(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of());
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, ValidatorServiceIT.parts(config), "", r -> { }));
        int uid = subnet.owner.metagraph(subnet.netuid).byHotkey(subnet.validator.address()).orElseThrow().uid();
        try {
            long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            WeightRow row = subnet.owner.weights(subnet.netuid, uid);
            int commitsSeen = 0;
            while (row.uids().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(250);
                JsonNode pending = JSON.readTree(ValidatorServiceIT.get(service, "/api/status").body()).path("pending_weights");
                if (pending.path("status").asText().equals("committed")) {
                    commitsSeen++;
                    assertThat(pending.path("commit_hash").asText()).as("pending commit in /api/status").startsWith("0x");
                    assertThat(pending.path("salt")).as("salt of an unrevealed commit in /api/status").isEmpty();
                    assertThat(pending.path("values")).as("weights of an unrevealed commit in /api/status").isEmpty();
                }
                row = subnet.owner.weights(subnet.netuid, uid);
            }
            assertThat(row.uids()).as("weights revealed on chain").isNotEmpty();
            assertThat(commitsSeen).as("polls that saw the commit pending").isPositive();
            String metrics = ValidatorServiceIT.get(service, "/metrics").body();
            assertThat(metrics).doesNotContain("chorus_validator_weights_submissions_total{outcome=\"committed\"} 0.0")
                    .doesNotContain("chorus_validator_weights_submissions_total{outcome=\"revealed\"} 0.0");
        } finally {
            await(service.stop());
        }
        ValidatorState saved = new StateFile(state).load(subnet.netuid, subnet.validator.address()).orElseThrow();
        assertThat(saved.lastWeights().kind()).isEqualTo("commit");
        assertThat(saved.lastWeights().status()).isEqualTo("revealed");
        assertThat(saved.lastWeights().salt()).hasSize(8);
    }

    /**
     * A reveal whose pre-send save fails sends nothing, and the commit it was to reveal, which is on chain, stays
     * pending: once the folder can be written again it is revealed, not forgotten.
     */
    @Test
    void aRevealThatCannotBeSavedFirstKeepsItsCommitAndRevealsItLater(@TempDir Path state) throws Exception {
        // two epochs between commit and reveal, so that the folder is blocked before the reveal is due
        subnet.owner.setHyperparameters(subnet.netuid, subnet.owner.hyperparameters(subnet.netuid).with("revealPeriod", "2"));
        ValidatorConfig config = subnet.validatorConfig(state, Map.of());
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, ValidatorServiceIT.parts(config), "", r -> { }));
        Path blocker = state.resolve(StateFile.FILE_NAME + ".tmp");
        try {
            String hash = awaitPending(service, "committed").path("commit_hash").asText();
            TestSubnet.blockStateSaves(state);
            String notSaved = "chorus_validator_weights_submissions_total{outcome=\"intent_not_saved\"}";
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!metrics(service).contains(notSaved + " 1.0")) {
                assertThat(System.nanoTime()).as("a reveal not sent for want of a save").isLessThan(until);
                Thread.sleep(20);
            }
            JsonNode pending = status(service).path("pending_weights");
            assertThat(pending.path("commit_hash").asText()).as("the commit, still pending").isEqualTo(hash);
            assertThat(pending.path("status").asText()).isEqualTo("committed");

            Files.delete(blocker.resolve("in-the-way"));
            Files.delete(blocker);
            until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonNode last = status(service).path("last_weights");
            while (!(last.path("status").asText().equals("revealed") && last.path("commit_hash").asText().equals(hash))) {
                assertThat(System.nanoTime()).as("the kept commit revealed").isLessThan(until);
                Thread.sleep(100);
                last = status(service).path("last_weights");
            }
        } finally {
            try {
                TestSubnet.unblockStateSaves(state);
            } finally {
                await(service.stop());
            }
            subnet.owner.setHyperparameters(subnet.netuid, subnet.owner.hyperparameters(subnet.netuid).with("revealPeriod", "1"));
        }
    }

    /**
     * A reveal that landed but whose outcome was not recorded (a crash after sending it, as the state file below
     * says) is found at the next start: the commit is gone from the chain because it was revealed, the weights row
     * equals it, our last update still carries the commit's block, and it counts as revealed, not as a commit lost to
     * a reorg.
     */
    @Test
    void aRevealThatLandedUnrecordedIsFoundRevealedAfterARestart(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of());
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, ValidatorServiceIT.parts(config), "", r -> { }));
        try {
            long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!status(service).path("last_weights").path("status").asText().equals("revealed")) {
                assertThat(System.nanoTime()).as("weights revealed").isLessThan(until);
                Thread.sleep(100);
            }
        } finally {
            await(service.stop());
        }
        StateFile file = new StateFile(state);
        ValidatorState saved = file.load(subnet.netuid, subnet.validator.address()).orElseThrow();
        ValidatorState.WeightsRecord revealed = saved.lastWeights();
        // as saved just before the reveal was sent: the commit's transaction and block
        EthLog.LogObject commit = subnet.events("WeightsCommitted(uint16,address,bytes32,uint64)",
                        BigInteger.valueOf(subnet.netuid), Numeric.toBigInt(subnet.validator.address())).stream()
                .map(log -> (EthLog.LogObject) log)
                .filter(log -> log.getData().startsWith(revealed.commitHash()))
                .findFirst().orElseThrow();
        file.save(new ValidatorState(saved.schema(), saved.netuid(), saved.hotkey(), saved.round(), saved.savedAtMs(),
                saved.scores(), null, revealed.with("committed", commit.getTransactionHash(), commit.getBlockNumber().longValueExact(), "")));

        ValidatorConfig again = subnet.validatorConfig(state, Map.of("rounds.period", "1h"));
        ValidatorService restarted = await(ValidatorService.start(subnet.vertx, again, ValidatorServiceIT.parts(again), "", r -> { }));
        try {
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonNode last = status(restarted).path("last_weights");
            while (!last.path("status").asText().equals("revealed")) {
                assertThat(System.nanoTime()).as("the reveal found on chain").isLessThan(until);
                Thread.sleep(100);
                last = status(restarted).path("last_weights");
            }
            assertThat(last.path("commit_hash").asText()).isEqualTo(revealed.commitHash());
            assertThat(metrics(restarted)).contains("chorus_validator_weights_submissions_total{outcome=\"revealed\"} 1.0")
                    .contains("chorus_validator_weights_submissions_total{outcome=\"commit_lost\"} 0.0");
        } finally {
            await(restarted.stop());
        }
    }

    private static JsonNode status(ValidatorService service) throws Exception {
        return JSON.readTree(ValidatorServiceIT.get(service, "/api/status").body());
    }

    private static String metrics(ValidatorService service) throws Exception {
        return ValidatorServiceIT.get(service, "/metrics").body();
    }

    private static JsonNode awaitPending(ValidatorService service, String pendingStatus) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode pending = status(service).path("pending_weights");
        while (!pending.path("status").asText().equals(pendingStatus)) {
            assertThat(System.nanoTime()).as("pending weights " + pendingStatus).isLessThan(until);
            Thread.sleep(20);
            pending = status(service).path("pending_weights");
        }
        return pending;
    }
}
