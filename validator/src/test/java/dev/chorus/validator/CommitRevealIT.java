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
}
