package dev.chorus.validator.organic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.Query;
import dev.chorus.validator.ValidatorService;
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
import java.util.concurrent.TimeUnit;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A question no miner answers usably is refused with what became of the miners' answers, and the advice to give them
 * more time only where one ran out of it: a consumer told to raise deadline_ms for miners that fail or refuse would
 * retry in vain.
 */
class OrganicNoAnswerIT {

    private static final String KEY = "test-key-no-answer-0123456789abcdef0123";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void saysHowTheMinersFailedAndAdvisesALongerDeadlineOnlyWhenOneRanOutOfTime(@TempDir Path state) throws Exception {
        // Asked to be slow, a miner outlasts the deadline; asked anything else, its model fails (HTTP 500, MINER_FAILED).
        Miner miner = q -> {
            if (q.prompt().contains("slowly")) {
                Thread.sleep(2_000);
                return "late";
            }
            throw new IllegalStateException("the model is down");
        };
        try (TestSubnet subnet = TestSubnet.start(100, List.of(miner, miner))) {
            OnnxEmbeddingModel model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
            try {
                ValidatorConfig config = subnet.validatorConfig(state, Map.of("rounds.period", "1h",
                        "organic.enabled", "true", "organic.port", "0", "organic.api_key_envs", "TEST_KEY"));
                ValidatorService service = await(ValidatorService.start(subnet.vertx, config,
                        subnet.validatorParts(config, subnet.client(subnet.validator), model,
                                () -> new Query("boil", "At what temperature does water boil?", null)),
                        "", router -> { }, Map.of("TEST_KEY", KEY)));
                try {
                    JsonNode failed = refusal(service, "{\"prompt\": \"Why is the sky blue?\"}");
                    assertThat(failed.get("code").asText()).isEqualTo("no_usable_answer");
                    assertThat(failed.get("message").asText())
                            .isEqualTo("none of the 2 miners asked gave a usable answer {HTTP_STATUS MINER_FAILED=2};"
                                    + " retry later");

                    JsonNode late = refusal(service, "{\"prompt\": \"Answer slowly: why is the sky blue?\", \"deadline_ms\": 500}");
                    assertThat(late.get("message").asText()).startsWith("none of the 2 miners asked gave a usable answer {")
                            .endsWith("}; retry, perhaps with a longer deadline_ms");
                } finally {
                    await(service.stop());
                }
            } finally {
                model.close();
            }
        }
    }

    /** The error of a request refused with 503, asked once the first metagraph sync has found the miners. */
    private static JsonNode refusal(ValidatorService service, String body) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + service.organicPort() + "/v1/ask"))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode error = ChatCompletions.JSON.readTree(response.body()).get("error");
            if (!"no_miners_serving".equals(error.path("code").asText()) || System.nanoTime() > until) {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                return error;
            }
            Thread.sleep(100);
        }
    }
}
