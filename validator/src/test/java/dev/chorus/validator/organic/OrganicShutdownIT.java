package dev.chorus.validator.organic;

import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.Query;
import dev.chorus.validator.ValidatorService;
import dev.chorus.validator.hardening.LogSecretScan;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A validator stopped while an organic round waits for its miners: the round ends, scored, and is in the round log
 * before the log is closed and the model (closed by the caller, as the launcher does) goes away.
 */
class OrganicShutdownIT {

    static final String KEY = "test-key-shutdown-0123456789abcdef0123";
    static final String ANSWER = "At sea level water boils at 100 degrees Celsius, which is 212 degrees Fahrenheit.";

    @Test
    void stopWaitsForTheOrganicRoundInFlightBeforeSavingAndClosing(@TempDir Path state) throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        Miner slow = q -> {
            asked.countDown();
            Thread.sleep(1_500);
            return ANSWER;
        };
        try (TestSubnet subnet = TestSubnet.start(100, List.of(slow, slow));
             LogSecretScan log = LogSecretScan.start()) {
            OnnxEmbeddingModel model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
            try {
                ValidatorConfig config = subnet.validatorConfig(state, Map.of(
                        "rounds.period", "1h",
                        "organic.enabled", "true",
                        "organic.port", "0",
                        "organic.api_key_envs", "TEST_KEY",
                        "organic.deadline", "5s"));
                ValidatorService.Parts parts = subnet.validatorParts(config, subnet.client(subnet.validator), model,
                        () -> new Query("boil", "At what temperature does water boil?", null));
                ValidatorService.Parts organicParts = new ValidatorService.Parts(parts.chain(), parts.miners(), parts.scorer(),
                        parts.queries(), new Random(3),
                        new HttpMinerClient(subnet.vertx, Hotkey.fromPrivateKey(subnet.validator.privateKey()),
                                HttpMinerClientOptions.defaults()));
                ValidatorService service = await(ValidatorService.start(subnet.vertx, config, organicParts, "",
                        router -> { }, Map.of("TEST_KEY", KEY)));
                waitForMetagraph(service);

                HttpClient http = HttpClient.newHttpClient();
                var reply = http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.organicPort() + "/v1/ask"))
                        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"At what temperature does water boil?\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(asked.await(30, TimeUnit.SECONDS)).as("the miners were asked").isTrue();

                await(service.stop());

                List<RoundRecord> organic = RoundLog.read(state.resolve(RoundLog.FILE_NAME)).rounds().stream()
                        .filter(RoundRecord::organic).toList();
                assertThat(organic).as("the organic round in flight at the stop").hasSize(1);
                assertThat(organic.getFirst().miners()).allSatisfy(m -> assertThat(m.answer()).isEqualTo(ANSWER));
                assertThat(log.text()).doesNotContain("could not update the score book or round log")
                        .doesNotContain("organic round(s) still running");
                reply.cancel(true);
            } finally {
                model.close();
            }
        }
    }

    /** Organic rounds need the metagraph, which the first sync reads. */
    private static void waitForMetagraph(ValidatorService service) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (((List<?>) await(service.status()).get("miners")).isEmpty()) {
            assertThat(System.nanoTime()).as("the first metagraph sync").isLessThan(until);
            Thread.sleep(100);
        }
    }
}
