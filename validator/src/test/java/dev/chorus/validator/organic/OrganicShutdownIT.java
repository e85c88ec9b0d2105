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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Organic rounds and the state folder: a validator stopped while an organic round waits for its miners says it is not
 * ready, ends the round, scored, answers its client, and logs it before the log is closed and the model (closed by the caller, as the launcher does) goes away;
 * an organic round the round log cannot take is reported as a synthetic one is.
 */
class OrganicShutdownIT {

    static final String KEY = "test-key-shutdown-0123456789abcdef0123";
    static final HttpClient HTTP = HttpClient.newHttpClient();
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
                ValidatorService service = startWithOrganicQueries(subnet, model, state, Map.of());
                var reply = ask(service);
                assertThat(asked.await(30, TimeUnit.SECONDS)).as("the miners were asked").isTrue();

                var stopped = service.stop();
                // A load balancer that checks /health/ready sends no more consumers to a listener that takes no new
                // connection, and the dashboard does not show a stopping validator as ready.
                HttpResponse<String> ready = admin(service, "/health/ready");
                assertThat(ready.statusCode()).as("/health/ready while stopping; %s", ready.body()).isEqualTo(503);
                assertThat(ready.body()).contains("stopping");
                await(stopped);

                List<RoundRecord> organic = RoundLog.read(state.resolve(RoundLog.FILE_NAME)).rounds().stream()
                        .filter(RoundRecord::organic).toList();
                assertThat(organic).as("the organic round in flight at the stop").hasSize(1);
                assertThat(organic.getFirst().miners()).allSatisfy(m -> assertThat(m.answer()).isEqualTo(ANSWER));
                assertThat(log.text()).doesNotContain("could not update the score book")
                        .doesNotContain("missing from the round log")
                        .doesNotContain("organic round(s) still running");
                HttpResponse<String> answered = reply.get(30, TimeUnit.SECONDS);
                assertThat(answered.statusCode()).as("the client that asked before the stop; %s", answered.body())
                        .isEqualTo(200);
                assertThat(answered.body()).contains(ANSWER);
            } finally {
                model.close();
            }
        }
    }

    @Test
    void anOrganicRoundTheRoundLogCannotTakeIsAnsweredAndReportedUntilALineIsWrittenAgain(@TempDir Path state)
            throws Exception {
        // a full log, whose next line rotates it, and in place of the oldest rotated log a folder that is not empty
        Files.writeString(state.resolve(RoundLog.FILE_NAME), "\n".repeat(4095));
        Path oldest = state.resolve(RoundLog.FILE_NAME + ".1");
        Files.createDirectories(oldest.resolve("in-the-way"));
        try (TestSubnet subnet = TestSubnet.start(100, List.of(q -> ANSWER, q -> ANSWER));
             LogSecretScan log = LogSecretScan.start()) {
            OnnxEmbeddingModel model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
            try {
                ValidatorService service = startWithOrganicQueries(subnet, model, state, Map.of(
                        "state.round_log_max_bytes", "4096", "state.round_log_keep", "1"));
                try {
                    HttpResponse<String> answered = ask(service).get(60, TimeUnit.SECONDS);
                    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
                    assertThat(answered.body()).contains(ANSWER);

                    HttpResponse<String> ready = admin(service, "/health/ready");
                    assertThat(ready.statusCode()).isEqualTo(503);
                    assertThat(ready.body()).contains("the round log").contains(RoundLog.FILE_NAME);
                    Map<String, Object> status = await(service.status());
                    assertThat(status.get("ready")).as("/api/status agrees with /health/ready").isEqualTo(false);
                    assertThat((String) status.get("not_ready_reason")).contains("the round log");
                    assertThat(admin(service, "/metrics").body())
                            .containsPattern("chorus_validator_state_write_failures_total [1-9]");
                    assertThat(log.text()).contains("missing from the round log");

                    Files.setPosixFilePermissions(oldest, PosixFilePermissions.fromString("rwx------"));
                    Files.delete(oldest.resolve("in-the-way"));
                    Files.delete(oldest);
                    assertThat(ask(service).get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
                    assertThat(admin(service, "/health/ready").statusCode()).isEqualTo(200);
                    assertThat(await(service.status()).get("ready")).isEqualTo(true);
                } finally {
                    await(service.stop());
                }
            } finally {
                model.close();
            }
        }
    }

    private static ValidatorService startWithOrganicQueries(TestSubnet subnet, OnnxEmbeddingModel model, Path state,
                                                            Map<String, String> more) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                "rounds.period", "1h",
                "organic.enabled", "true",
                "organic.port", "0",
                "organic.api_key_envs", "TEST_KEY",
                "organic.deadline", "5s"));
        settings.putAll(more);
        ValidatorConfig config = subnet.validatorConfig(state, settings);
        ValidatorService.Parts parts = subnet.validatorParts(config, subnet.client(subnet.validator), model,
                () -> new Query("boil", "At what temperature does water boil?", null));
        ValidatorService.Parts organicParts = new ValidatorService.Parts(parts.chain(), parts.miners(), parts.scorer(),
                parts.queries(), new Random(3),
                new HttpMinerClient(subnet.vertx, Hotkey.fromPrivateKey(subnet.validator.privateKey()),
                        HttpMinerClientOptions.defaults()));
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, organicParts, "",
                router -> { }, Map.of("TEST_KEY", KEY)));
        waitForMetagraph(service);
        return service;
    }

    private static CompletableFuture<HttpResponse<String>> ask(ValidatorService service) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.organicPort() + "/v1/ask"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"At what temperature does water boil?\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> admin(ValidatorService service, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.adminPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
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
