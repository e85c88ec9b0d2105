package dev.chorus.validator.organic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.cli.AskCommand;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.Query;
import dev.chorus.validator.ValidatorService;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A validator with the default {@code organic.return_others: false}, over real HTTP: its consumers get the chosen
 * answer and the agreement, never the other miners' answers or what the scorer paid them, on either endpoint, and
 * {@code chorus ask} prints the answer alone. ({@code OrganicQueriesIT} runs with the setting on.)
 */
class OrganicOthersIT {

    static final String KEY = "test-key-others-0123456789abcdef01234";
    static final String QUESTION = "At what temperature does water boil at sea level?";
    static final List<String> ANSWERS = List.of(
            "At sea level water boils at 100 degrees Celsius, which is 212 degrees Fahrenheit.",
            "Water boils at 100 °C (212 °F) under standard atmospheric pressure at sea level.",
            "The boiling point of water at sea level is one hundred degrees Celsius.");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void consumersGetTheChosenAnswerAloneByDefault(@TempDir Path state) throws Exception {
        try (TestSubnet subnet = TestSubnet.start(100, List.of(q -> ANSWERS.get(0), q -> ANSWERS.get(1),
                q -> ANSWERS.get(2)));
             OnnxEmbeddingModel model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults())) {
            ValidatorService service = start(subnet, model, state);
            try {
                askAnswersWithoutTheOtherMinersAnswersOrRewards(service.organicPort());
                chatCompletionsCarryNoOtherAnswerEither(service.organicPort());
                chorusAskPrintsTheAnswerAlone(service.organicPort());
            } finally {
                await(service.stop());
            }
        }
    }

    private static ValidatorService start(TestSubnet subnet, OnnxEmbeddingModel model, Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of(
                "rounds.period", "1h",
                "organic.enabled", "true",
                "organic.port", "0",
                "organic.api_key_envs", "TEST_KEY",
                "organic.deadline", "5s",
                "organic.exploration_share", "0"));
        ValidatorService.Parts parts = subnet.validatorParts(config, subnet.client(subnet.validator), model,
                () -> new Query("boil", QUESTION, null));
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, new ValidatorService.Parts(
                parts.chain(), parts.miners(), parts.scorer(), parts.queries(), new Random(3), new HttpMinerClient(
                subnet.vertx, Hotkey.fromPrivateKey(subnet.validator.privateKey()), HttpMinerClientOptions.defaults())),
                "", router -> { }, Map.of("TEST_KEY", KEY)));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (((List<?>) await(service.status()).get("miners")).isEmpty()) {
            assertThat(System.nanoTime()).as("the first metagraph sync").isLessThan(until);
            Thread.sleep(100);
        }
        return service;
    }

    private static void askAnswersWithoutTheOtherMinersAnswersOrRewards(int port) throws Exception {
        HttpResponse<String> response = post(port, "/v1/ask", "{\"prompt\": \"" + QUESTION + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(fieldNames(answer)).containsExactly("id", "answer", "uid", "hotkey", "agreement", "asked",
                "answered", "latency_ms");
        assertThat(answer.get("answered").asInt()).isEqualTo(3);
        assertThat(ANSWERS).contains(answer.get("answer").asText());
        assertThat(response.body()).doesNotContain("reward").doesNotContain("similarity");
        assertThat(ANSWERS).filteredOn(a -> !a.equals(answer.get("answer").asText()))
                .hasSize(2).noneMatch(response.body()::contains);
    }

    private static void chatCompletionsCarryNoOtherAnswerEither(int port) throws Exception {
        HttpResponse<String> response = post(port, "/v1/chat/completions",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"" + QUESTION + "\"}]}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode completion = JSON.readTree(response.body());
        assertThat(fieldNames(completion.get("chorus"))).containsExactly("uid", "hotkey", "agreement", "asked", "answered");
        String chosen = completion.get("choices").get(0).get("message").get("content").asText();
        assertThat(ANSWERS).filteredOn(a -> !a.equals(chosen)).hasSize(2).noneMatch(response.body()::contains);
    }

    private static void chorusAskPrintsTheAnswerAlone(int port) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new AskCommand(Map.of("CHORUS_API_KEY", KEY))).setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err)).execute("--url", "http://127.0.0.1:" + port, QUESTION);
        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).as("the answer, a blank line, who gave it").hasSize(3);
        assertThat(ANSWERS).contains(lines.get(0));
        assertThat(lines.get(1)).isEmpty();
        assertThat(lines.get(2)).startsWith("from uid ").contains("3 of 3 miners answered");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static HttpResponse<String> post(int port, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
