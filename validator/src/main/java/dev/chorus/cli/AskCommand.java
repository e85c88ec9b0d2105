package dev.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.config.ChainSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chorus ask}: one question to a running validator's organic API, and the subnet's consensus answer. */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Ask the subnet a question through a validator's organic API and print the consensus answer.",
                "Sends POST /v1/ask and prints the answer the miners agree on, who gave it",
                "and how strongly they agree; then each other miner's answer, where the",
                "validator returns them (organic.return_others: true, off by default).",
                "The API key is read from the environment variable named by --key-env."})
public final class AskCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Answers of other miners are cut to this many characters in the human-readable listing. */
    private static final int PREVIEW = 70;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "QUESTION", description = "The question, quoted.")
    String question;

    @Option(names = "--url", paramLabel = "URL", description = "The validator's organic API (default: ${DEFAULT-VALUE}).")
    String url = "http://127.0.0.1:9200";

    @Option(names = "--key-env", paramLabel = "NAME",
            description = "Environment variable holding the API key (default: ${DEFAULT-VALUE}).")
    String keyEnv = "CHORUS_API_KEY";

    @Option(names = "--max-miners", paramLabel = "N", description = "Miners to ask (default: the validator's).")
    Integer maxMiners;

    @Option(names = "--deadline-ms", paramLabel = "MS", description = "Time the miners get (default: the validator's).")
    Integer deadlineMs;

    @Option(names = "--json", description = "Print the validator's JSON response as it came.")
    boolean json;

    private final Map<String, String> env;

    public AskCommand() {
        this(System.getenv());
    }

    /** @param env where the API key is looked up (tests pass their own) */
    public AskCommand(Map<String, String> env) {
        this.env = env;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        URI endpoint = endpoint();
        String key = env.get(keyEnv);
        if (key == null || key.isBlank()) {
            throw new UserInputException("chorus ask: no API key in the environment variable " + keyEnv
                    + "; export it (ask the validator's operator for a key) or name another with --key-env");
        }
        ObjectNode body = JSON.createObjectNode().put("prompt", question);
        if (maxMiners != null) {
            body.put("max_miners", maxMiners);
        }
        if (deadlineMs != null) {
            body.put("deadline_ms", deadlineMs);
        }
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = http.send(HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + key.trim())
                    .header("Content-Type", "application/json").timeout(responseTimeout())
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            // A validator that is down or busy is no mistake in the command line: runtime failures, exit 1.
            throw new IllegalStateException("nothing answers at " + url + "; is the validator running with "
                    + "organic.enabled=true, and is this its organic.port?", e);
        } catch (HttpTimeoutException e) {
            throw new IllegalStateException("no reply from " + url + " within " + responseTimeout().toSeconds()
                    + " s; the validator may be overloaded, or its organic.deadline longer than that (give --deadline-ms)", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (response.statusCode() != 200) {
            String message = errorMessage(response.body());
            String text = "the validator refused (HTTP " + response.statusCode() + "): " + message
                    + response.headers().firstValue("retry-after").map(s -> " (retry after " + s + " s)").orElse("");
            if (response.statusCode() >= 500 || response.statusCode() == 429) {
                throw new IllegalStateException(text);
            }
            throw new UserInputException("chorus ask: " + text);
        }
        if (json) {
            out.println(response.body());
        } else {
            print(JSON.readTree(response.body()), out);
        }
        out.flush();
        return 0;
    }

    /** Without a scheme, "localhost:9200" parses as a URI of scheme "localhost" and fails only when sent. */
    private URI endpoint() {
        String base = url.strip().replaceAll("/+$", "");
        if (ChainSettings.isHttpUrl(base)) {
            try {
                URI endpoint = new URI(base + "/v1/ask");
                if (endpoint.getHost() != null) {
                    return endpoint;
                }
            } catch (URISyntaxException malformed) {
                // refused below, with the fix
            }
        }
        throw new UserInputException("chorus ask: --url '" + url + "' is not an http:// or https:// URL; write it whole,"
                + " e.g. http://127.0.0.1:9200");
    }

    /** Long enough for the miners' time plus scoring: the validator replies only once the round is scored. */
    private Duration responseTimeout() {
        return Duration.ofMillis(Math.max(60_000, deadlineMs == null ? 0 : deadlineMs + 30_000L));
    }

    private static void print(JsonNode answer, PrintWriter out) {
        out.println(answer.path("answer").asText());
        out.println();
        out.printf(Locale.ROOT, "from uid %d (%s) · agreement %.2f · %d of %d miners answered · %d ms%n",
                answer.path("uid").asInt(), answer.path("hotkey").asText(), answer.path("agreement").asDouble(),
                answer.path("answered").asInt(), answer.path("asked").asInt(), answer.path("latency_ms").asLong());
        for (JsonNode other : answer.path("others")) {
            String text = other.path("answer").isTextual() ? preview(other.path("answer").asText())
                    : "(" + other.path("failure").asText().toLowerCase(Locale.ROOT) + ")";
            out.printf(Locale.ROOT, "  uid %-4d similarity %.2f  %5d ms  %s%n", other.path("uid").asInt(),
                    other.path("similarity").asDouble(), other.path("latency_ms").asLong(), text);
        }
    }

    private static String preview(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= PREVIEW ? line : line.substring(0, PREVIEW - 1) + "…";
    }

    private static String errorMessage(String body) {
        try {
            JsonNode error = JSON.readTree(body).path("error");
            return error.path("message").isTextual() ? error.path("message").asText() : body;
        } catch (IOException e) {
            return body;
        }
    }
}
