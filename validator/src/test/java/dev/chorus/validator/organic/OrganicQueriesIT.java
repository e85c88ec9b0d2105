package dev.chorus.validator.organic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.chain.Metagraph;
import dev.chorus.cli.AskCommand;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.Query;
import dev.chorus.validator.ValidatorService;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The organic front door end to end: a real chain, real knowledge-base miners (plus a copycat and a constant
 * answerer) over HTTP, the real embedding model, the validator service with its organic listener, which returns the
 * other miners' answers ({@code organic.return_others}; {@code OrganicOthersIT} has it off, the default).
 */
class OrganicQueriesIT {

    static final String BOILING = "At what temperature does water boil at sea level?";
    static final String CAPITAL = "What is the capital of France?";
    static final String OFF_CORPUS = "Who painted the ceiling of the Sistine Chapel?";
    static final String KEY_A = "test-key-a-0123456789abcdef0123456789";
    static final String KEY_B = "test-key-b-9876543210fedcba9876543210";

    /** Three honest miners with their own knowledge bases; off their corpus each falls back to its first entry. */
    static final List<Map<String, String>> KNOWLEDGE = List.of(
            kb("hastings", "The Battle of Hastings was fought in 1066 between the Normans and the English.",
                    "boil", "At sea level water boils at 100 degrees Celsius, which is 212 degrees Fahrenheit.",
                    "france", "Paris is the capital of France and its largest city."),
            kb("photosynthesis", "Photosynthesis lets plants turn sunlight, water and carbon dioxide into sugar.",
                    "boil", "Water boils at 100 °C (212 °F) under standard atmospheric pressure at sea level.",
                    "france", "The capital city of France is Paris, on the river Seine."),
            kb("moon", "The Moon orbits the Earth about once every 27 days and causes the tides.",
                    "boil", "The boiling point of water at sea level is one hundred degrees Celsius.",
                    "france", "France's capital is Paris."));
    static final String CONSTANT = "I am not sure, please ask someone else.";

    static TestSubnet subnet;
    static OnnxEmbeddingModel model;
    static ValidatorService service;
    @TempDir
    static Path state;
    static int[] uids;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    static Map<String, String> kb(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static String lookUp(Map<String, String> kb, String prompt) {
        String lower = prompt.toLowerCase();
        return kb.entrySet().stream().filter(e -> lower.contains(e.getKey())).map(Map.Entry::getValue).findFirst()
                .orElse(kb.values().iterator().next());
    }

    @BeforeAll
    static void start() throws Exception {
        List<Miner> miners = List.of(
                q -> lookUp(KNOWLEDGE.get(0), q.prompt()),
                q -> lookUp(KNOWLEDGE.get(1), q.prompt()),
                q -> lookUp(KNOWLEDGE.get(2), q.prompt()),
                q -> {
                    // The copycat serves miner 0's answer after fetching it, so later than the original; 300 ms keeps
                    // it later even when a loaded machine delays the original.
                    Thread.sleep(300);
                    return lookUp(KNOWLEDGE.get(0), q.prompt());
                },
                q -> CONSTANT);
        subnet = TestSubnet.start(100, miners);
        model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
        ValidatorConfig config = subnet.validatorConfig(state, Map.of(
                "organic.enabled", "true",
                "organic.port", "0",
                "organic.api_key_envs", "TEST_KEY_A, TEST_KEY_B",
                "organic.burst", "40",
                "organic.requests_per_minute", "1",
                "organic.max_body_bytes", "2048",
                "organic.deadline", "3s",
                "organic.exploration_share", "0",
                "organic.scoring_share", "1.0",
                "organic.return_others", "true"));
        ValidatorService.Parts parts = new ValidatorService.Parts(subnet.client(subnet.validator),
                new HttpMinerClient(subnet.vertx, Hotkey.fromPrivateKey(subnet.validator.privateKey()), HttpMinerClientOptions.defaults()),
                new RoundScorer(model, new ConsensusScorer(ScoringOptions.from(config.scoring(), config.rounds().minerTimeout()))),
                () -> new Query("boil", BOILING, null), new Random(7),
                new HttpMinerClient(subnet.vertx, Hotkey.fromPrivateKey(subnet.validator.privateKey()), HttpMinerClientOptions.defaults()));
        service = await(ValidatorService.start(subnet.vertx, config, parts, "", router -> { },
                Map.of("TEST_KEY_A", KEY_A, "TEST_KEY_B", KEY_B)));
        Metagraph metagraph = subnet.owner.metagraph(subnet.netuid);
        uids = subnet.minerAccounts.stream().mapToInt(a -> metagraph.byHotkey(a.address()).orElseThrow().uid()).toArray();
        awaitStanding();
    }

    /**
     * Organic answers lean on the score book to tell an original from its copy, so the tests start once synthetic
     * rounds have put the honest miners above the copycat and the constant answerer.
     */
    static void awaitStanding() throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            double honest = Math.min(service.score(uids[0]), Math.min(service.score(uids[1]), service.score(uids[2])));
            if (honest > service.score(uids[3]) + 0.02 && honest > service.score(uids[4]) + 0.02) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("synthetic rounds did not rank the honest miners above the copycat within 60 s");
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            await(service.stop());
        }
        if (model != null) {
            model.close();
        }
        if (subnet != null) {
            subnet.close();
        }
    }

    @Test
    void asksTheNetworkAndReturnsTheHonestAnswerWithHigherAgreementThanOffCorpus() throws Exception {
        JsonNode onCorpus = ok(post("/v1/ask", KEY_A, "{\"prompt\": \"" + BOILING + "\", \"max_miners\": 8}"));
        assertThat(honestAnswers("boil")).contains(onCorpus.get("answer").asText());
        assertThat(onCorpus.get("uid").asInt()).isIn(uids[0], uids[1], uids[2]);
        assertThat(onCorpus.get("hotkey").asText()).isEqualToIgnoringCase(hotkeyOf(onCorpus.get("uid").asInt()));
        assertThat(onCorpus.get("asked").asInt()).isEqualTo(5);
        assertThat(onCorpus.get("answered").asInt()).isEqualTo(5);
        assertThat(onCorpus.get("others")).hasSize(4);
        onCorpus.get("others").forEach(other -> assertThat(other.get("latency_ms").asLong()).isNotNegative());

        JsonNode offCorpus = ok(post("/v1/ask", KEY_A, "{\"prompt\": \"" + OFF_CORPUS + "\"}"));
        double on = onCorpus.get("agreement").asDouble();
        double off = offCorpus.get("agreement").asDouble();
        assertThat(on).isBetween(0.0, 1.0);
        assertThat(off).isBetween(0.0, 1.0);
        System.out.printf("organic agreement: corpus question %.3f, off-corpus question %.3f%n", on, off);
        assertThat(on).as("agreement on a corpus question vs off corpus").isGreaterThan(off + 0.1);
    }

    @Test
    void neverReturnsTheCopycatOrTheConstantAnswer() throws Exception {
        for (String question : List.of(BOILING, CAPITAL, BOILING, CAPITAL)) {
            JsonNode answer = ok(post("/v1/ask", KEY_A, "{\"prompt\": \"" + question + "\"}"));
            assertThat(answer.get("uid").asInt()).as("%s: %s", question, answer).isNotIn(uids[3], uids[4]);
            assertThat(answer.get("answer").asText()).isNotEqualTo(CONSTANT);
            JsonNode copycat = find(answer.get("others"), uids[3]);
            JsonNode original = answer.get("uid").asInt() == uids[0] ? answer : find(answer.get("others"), uids[0]);
            assertThat(copycat.get("answer").asText()).as("the copycat serves uid %d's answer", uids[0])
                    .isEqualTo(original.get("answer").asText());
            assertThat(copycat.get("penalties").toString()).contains("DUPLICATE");
        }
    }

    @Test
    void answersAPlainOpenAiStyleChatCompletionsCall() throws Exception {
        String baseUrl = "http://127.0.0.1:" + service.organicPort() + "/v1";
        String body = """
                {"model": "gpt-4o-mini", "messages": [
                  {"role": "system", "content": "You are a helpful assistant."},
                  {"role": "user", "content": "%s"}], "temperature": 0.2, "stream": false}""".formatted(CAPITAL);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .header("Authorization", "Bearer " + KEY_A).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode completion = ok(response);
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("id").asText()).startsWith("chatcmpl-");
        assertThat(completion.get("model").asText()).isEqualTo("gpt-4o-mini");
        JsonNode choice = completion.get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(honestAnswers("france")).contains(choice.get("message").get("content").asText());
        assertThat(completion.get("usage").get("total_tokens").asInt()).isPositive();
        assertThat(completion.get("chorus").get("agreement").asDouble()).isBetween(0.0, 1.0);

        HttpResponse<String> streamed = post("/v1/chat/completions", KEY_A, body.replace("\"stream\": false", "\"stream\": true"));
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.headers().firstValue("content-type")).contains("text/event-stream");
        List<String> events = List.of(streamed.body().split("\n\n"));
        assertThat(events).hasSize(3).allMatch(e -> e.startsWith("data: ")).last().isEqualTo("data: [DONE]");
        JsonNode first = json.readTree(events.get(0).substring(6));
        assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(honestAnswers("france")).contains(first.get("choices").get(0).get("delta").get("content").asText());
        assertThat(json.readTree(events.get(1).substring(6)).get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void refusesBadKeysOversizedAndMalformedRequestsWithClearErrors() throws Exception {
        HttpResponse<String> noKey = http.send(HttpRequest.newBuilder(uri("/v1/ask"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"hi\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(message(noKey)).contains("Authorization: Bearer");

        HttpResponse<String> badKey = post("/v1/ask", "not-a-key", "{\"prompt\": \"hi\"}");
        assertThat(badKey.statusCode()).isEqualTo(401);
        assertThat(json.readTree(badKey.body()).get("error").get("code").asText()).isEqualTo("invalid_api_key");

        HttpResponse<String> huge = post("/v1/ask", KEY_A, "{\"prompt\": \"" + "why ".repeat(1000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(message(huge)).contains("2048 bytes");

        HttpResponse<String> notJson = post("/v1/ask", KEY_A, "{\"prompt\": ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(message(notJson)).contains("not valid JSON");

        HttpResponse<String> noPrompt = post("/v1/ask", KEY_A, "{\"question\": \"hi\"}");
        assertThat(noPrompt.statusCode()).isEqualTo(400);
        assertThat(message(noPrompt)).contains("question").contains("prompt");

        HttpResponse<String> tooMany = post("/v1/ask", KEY_A, "{\"prompt\": \"hi\", \"max_miners\": 999}");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(message(tooMany)).contains("max_miners");

        HttpResponse<String> twoChoices = post("/v1/chat/completions", KEY_A,
                "{\"model\": \"x\", \"n\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        assertThat(twoChoices.statusCode()).isEqualTo(400);
        assertThat(message(twoChoices)).contains("n: 1");
    }

    @Test
    void refusesARequestWithoutAKeyBeforeReadingItsBody() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", service.organicPort())) {
            socket.setSoTimeout(5_000);
            // Headers promise a body that never comes: a key check that waited for it would never answer.
            socket.getOutputStream().write(("POST /v1/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(statusLine).isEqualTo("HTTP/1.1 401 Unauthorized");
        }
    }

    @Test
    void rateLimitsEachKeyWithRetryAfter() throws Exception {
        HttpResponse<String> last = null;
        int accepted = 0;
        for (int i = 0; i < 41; i++) {
            last = post("/v1/ask", KEY_B, "{}");
            if (last.statusCode() == 429) {
                break;
            }
            assertThat(last.statusCode()).isEqualTo(400);
            accepted++;
        }
        assertThat(accepted).isEqualTo(40);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(message(last)).contains("TEST_KEY_B").contains("rate limit");
        assertThat(Long.parseLong(last.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 60L);
        assertThat(post("/v1/ask", KEY_A, "{}").statusCode()).as("another key is not limited").isEqualTo(400);
    }

    @Test
    void exportsMetricsStatusAndLogsOrganicRoundsWithoutThePrompt() throws Exception {
        ok(post("/v1/ask", KEY_A, "{\"prompt\": \"" + CAPITAL + "\"}"));
        String metrics = admin("/metrics");
        assertThat(metrics).contains("chorus_organic_requests_total{outcome=\"ok\"}")
                .contains("chorus_organic_latency_seconds_bucket")
                .contains("chorus_organic_agreement_bucket");
        JsonNode organic = json.readTree(admin("/api/status")).get("organic");
        assertThat(organic.get("answered").asLong()).isPositive();
        assertThat(organic.get("mean_agreement").asDouble()).isBetween(0.0, 1.0);
        assertThat(organic.get("p50_ms").asLong()).isPositive();
        assertThat(service.organicExampleCurl()).contains(":" + service.organicPort() + "/v1/ask")
                .contains("$TEST_KEY_A").doesNotContain(KEY_A);

        List<RoundRecord> organicRounds = RoundLog.read(state.resolve(RoundLog.FILE_NAME)).rounds().stream()
                .filter(RoundRecord::organic).toList();
        assertThat(organicRounds).isNotEmpty();
        assertThat(organicRounds).allSatisfy(r -> {
            assertThat(r.prompt()).isEmpty();
            assertThat(r.queryId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(r.miners()).isNotEmpty();
            assertThat(r.metagraph()).as("the uids the validator would weigh, for a replay")
                    .isEqualTo(RoundRecord.MetagraphView.of(subnet.owner.metagraph(subnet.netuid), subnet.validator.address()));
        });
    }

    @Test
    void chorusAskPrintsTheConsensusAnswerAndWhoGaveIt() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine ask = new CommandLine(new AskCommand(Map.of("CHORUS_API_KEY", KEY_A))).setOut(new PrintWriter(out));
        int exit = ask.execute("--url", "http://127.0.0.1:" + service.organicPort(), BOILING);
        assertThat(exit).as(out.toString()).isZero();
        String printed = out.toString();
        assertThat(honestAnswers("boil")).anyMatch(printed::startsWith);
        assertThat(printed).contains("agreement 0.").contains("of 5 miners answered").contains(CONSTANT.substring(0, 20));

        StringWriter raw = new StringWriter();
        int jsonExit = new CommandLine(new AskCommand(Map.of("CHORUS_API_KEY", KEY_A))).setOut(new PrintWriter(raw))
                .execute("--url", "http://127.0.0.1:" + service.organicPort(), "--json", "--max-miners", "2", CAPITAL);
        assertThat(jsonExit).isZero();
        assertThat(json.readTree(raw.toString()).get("asked").asInt()).isEqualTo(2);
    }

    private static List<String> honestAnswers(String topic) {
        return KNOWLEDGE.stream().map(kb -> kb.get(topic)).toList();
    }

    private static String hotkeyOf(int uid) throws Exception {
        return subnet.owner.metagraph(subnet.netuid).neuron(uid).hotkey();
    }

    private static JsonNode find(JsonNode others, int uid) {
        for (JsonNode other : others) {
            if (other.get("uid").asInt() == uid) {
                return other;
            }
        }
        throw new AssertionError("uid " + uid + " is not among the other answers: " + others);
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + service.organicPort() + path);
    }

    static HttpResponse<String> post(String path, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private static String message(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body()).get("error").get("message").asText();
    }

    private static String admin(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.adminPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
