package dev.chorus.validator.organic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.OrganicSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the organic listener refuses before any round, over real HTTP: each is a 4xx in the OpenAI error shape
 * saying what to send, never a 500 and never a body read as something else. The rounds have no miners, so a
 * request that got past the checks would fail with a 500.
 */
class OrganicRequestsIT {

    private static final String KEY = "organic-requests-key-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Vertx vertx;
    private static OrganicServer organic;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        OrganicSettings settings = ConfigLoader.load(OrganicSettings.defaults(), Optional.empty(), Map.of(), Map.of(
                "enabled", "true", "port", "0", "burst", "1000"));
        OrganicRounds rounds = new OrganicRounds(settings, 1, "0x" + "0".repeat(40), null, null, null, null, new Random(1));
        organic = OrganicServer.create(vertx, settings, rounds, Map.of("CHORUS_API_KEY", KEY),
                new OrganicMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
        organic.start().await();
    }

    @AfterAll
    static void stop() {
        organic.stop(Duration.ZERO).await();
        vertx.close().await();
    }

    @Test
    void aNullMessageIsABadRequestNotAServerError() throws Exception {
        assertRefused(post("/v1/chat/completions", "{\"messages\": [null]}"), 400,
                "messages[0] is null; each message is {\"role\", \"content\"}");
        assertRefused(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_miners\": 0.5}"),
                400, "max_miners must be a whole number, got 0.5");
    }

    @Test
    void aBodyThatGoesOnAfterItsObjectIsRefused() throws Exception {
        assertRefused(post("/v1/ask", "{\"prompt\": \"hi\"} garbage"), 400, "not valid JSON");
        assertRefused(post("/v1/ask", "{\"prompt\": \"hi\"}{\"prompt\": \"other\"}"), 400,
                "the body goes on after its JSON object; send exactly one JSON object");
        assertRefused(post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]} []"), 400,
                "goes on after its JSON object");
        assertRefused(post("/v1/ask", "{\"prompt\": \"hi\", \"prompt\": \"other\"}"), 400, "Duplicate field 'prompt'");
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedRatherThanRepaired() throws Exception {
        byte[] latin1 = "{\"prompt\": \"caf\u00e9?\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(post("/v1/ask", latin1), 400, "the body is not UTF-8; send the JSON encoded as UTF-8");
        byte[] loneSurrogate = {'{', '"', 'p', 'r', 'o', 'm', 'p', 't', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'};
        assertRefused(post("/v1/ask", loneSurrogate), 400, "not UTF-8");
    }

    @Test
    void theWrongMethodIs405NamingTheRightOne() throws Exception {
        for (String path : new String[]{"/v1/ask", "/v1/chat/completions"}) {
            HttpResponse<String> get = send(request(path).GET());
            assertRefused(get, 405, "GET is not allowed on " + path + "; use POST");
            assertThat(get.headers().firstValue("allow")).as(path).hasValue("POST");
        }
        HttpResponse<String> postModels = post("/v1/models", "{}");
        assertRefused(postModels, 405, "use GET");
        assertThat(postModels.headers().firstValue("allow")).hasValue("GET");
    }

    @Test
    void anUnknownPathIs404NamingTheEndpoints() throws Exception {
        assertRefused(post("/v1/asks", "{\"prompt\": \"hi\"}"), 404,
                "no such endpoint /v1/asks; this API serves POST /v1/ask, POST /v1/chat/completions, GET /v1/models");
    }

    /**
     * {@code curl -d}, as in the README, labels a JSON body {@code application/x-www-form-urlencoded}. Decoded as a form,
     * a body holding a '%' that starts no escape, or longer than a kilobyte, was refused with a bare "Bad Request"; it is
     * read as JSON like any other body (each request here gets as far as the check of its max_miners or prompt length).
     */
    @Test
    void aJsonBodyLabelledAFormIsReadAsJson() throws Exception {
        String percent = "{\"prompt\": \"Why is 100% humidity not rain?\", \"max_miners\": 0}";
        String longer = "{\"prompt\": \"" + "Why is the sky blue? ".repeat(100) + "\", \"max_miners\": 0}";
        String tooLong = "{\"prompt\": \"" + "a".repeat(9000) + "\"}";
        for (String body : new String[]{percent, longer}) {
            assertRefused(postAs("application/x-www-form-urlencoded", "/v1/ask", body), 400, "max_miners is 0");
        }
        assertRefused(postAs("application/x-www-form-urlencoded", "/v1/ask", tooLong), 413,
                "prompt has 9000 characters; this validator accepts at most 8000");
        assertRefused(postAs("application/x-www-form-urlencoded", "/v1/chat/completions",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"100% sure?\"}], \"max_miners\": 0}"), 400, "max_miners is 0");
        assertRefused(postAs("multipart/form-data; boundary=x", "/v1/ask", percent), 400, "max_miners is 0");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String message) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode error = ChatCompletions.JSON.readTree(response.body()).get("error");
        assertThat(error.get("message").asText()).contains(message);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body.getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(String path, byte[] body) throws Exception {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static HttpResponse<String> postAs(String contentType, String path, String body) throws Exception {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + organic.port() + path))
                .header("Authorization", "Bearer " + KEY);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
