package dev.chorus.validator.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.chain.testing.RpcProxy;
import dev.chorus.config.ConfigPrinter;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.validator.testing.ReadmeMetrics;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A validator process started as an operator starts it while its chain node is down ({@code chain.rpc_url} where
 * nothing listens yet): its admin listener answers within seconds, live but not ready with what to check, and once the
 * node is up the validator validates on the same port. A permit lost later is logged with what to do about it.
 */
class ChainDownAtStartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Stands for a provider's API key in the URL: no answer or log line may show it. */
    private static final String KEY_IN_URL = "v3/not-for-logs-0123456789";
    private static final int TEMPO = 100;

    static TestSubnet subnet;
    static RpcProxy node;

    @BeforeAll
    static void startSubnetWithItsNodeDown() throws Exception {
        subnet = TestSubnet.start(TEMPO, List.of());
        node = new RpcProxy(subnet.chain.rpcUrl());
        node.stop();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (subnet != null) {
            subnet.close();
        }
    }

    @Test
    void answersNotReadyWithWhatToCheckUntilTheNodeIsUpThenValidates(@TempDir Path dir) throws Exception {
        int adminPort = TestSubnet.freePort();
        ValidatorConfig config = subnet.validatorConfig(dir.resolve("state"), Map.of("admin.port", Integer.toString(adminPort),
                "chain.rpc_url", node.url() + "/" + KEY_IN_URL, "chain.rpc_timeout", "2s", "chain.retry_backoff", "100ms"));
        Path configFile = dir.resolve("validator.yaml");
        Files.writeString(configFile, ConfigPrinter.yaml(config));
        Path log = dir.resolve("validator.log");
        Process validator = subnet.launchValidator(configFile, log);
        try {
            assertThat(firstAnswer(adminPort, "/health/ready", validator, Duration.ofSeconds(20)).statusCode())
                    .as("ready before the chain answers").isEqualTo(503);
            // The reason says connecting until the first connection attempt has failed (four tries of chain.retry_backoff).
            awaitTrue("/health/ready naming the node and what to check", Duration.ofSeconds(10), validator,
                    () -> get(adminPort, "/health/ready").body().contains("chain unreachable at "));
            HttpResponse<String> ready = get(adminPort, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("chain unreachable at " + node.url() + "/...: ",
                    "; check chain.rpc_url and that the node is running").doesNotContain(KEY_IN_URL);
            assertThat(get(adminPort, "/health/live").statusCode()).isEqualTo(200);
            JsonNode status = JSON.readTree(get(adminPort, "/api/status").body());
            assertThat(status.path("validator").path("mode").asText()).isEqualTo("starting");
            assertThat(status.path("not_ready_reason").asText()).contains("check chain.rpc_url");
            String metrics = get(adminPort, "/metrics").body();
            assertThat(metrics).contains("chorus_validator_ready 0.0");
            assertThat(ReadmeMetrics.missingFrom(metrics)).as("README metrics in the first scrape").isEmpty();
            assertThat(awaitLog(log, "retrying in", Duration.ofSeconds(10))).contains(node.url() + "/...", "chain.rpc_url");
            Matcher connectErrors = Pattern.compile("chorus_chain_rpc_errors_total\\{operation=\"connect\"} ([0-9.]+)")
                    .matcher(get(adminPort, "/metrics").body());
            assertThat(connectErrors.find()).as("the failed tries to reach the chain, counted").isTrue();
            assertThat(Double.parseDouble(connectErrors.group(1))).as("failed tries counted, for the README's alert")
                    .isPositive();

            // A second validator on the same state folder stops at once, not once the chain answers.
            ValidatorConfig second = subnet.validatorConfig(dir.resolve("state"), Map.of("admin.port",
                    Integer.toString(TestSubnet.freePort()), "chain.rpc_url", node.url(), "chain.rpc_timeout", "2s"));
            Path secondFile = Files.writeString(dir.resolve("second.yaml"), ConfigPrinter.yaml(second));
            Path secondLog = dir.resolve("second.log");
            Process intruder = subnet.launchValidator(secondFile, secondLog);
            try {
                assertThat(intruder.waitFor(30, TimeUnit.SECONDS)).as("the second validator stops while the chain is down").isTrue();
            } finally {
                intruder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(intruder.exitValue()).isNotZero();
            assertThat(Files.readString(secondLog)).contains("is in use by another validator");
            assertThat(validator.isAlive()).isTrue();

            node.restart();
            awaitTrue("validating on the same port once the node is up", Duration.ofSeconds(90), validator, () -> {
                JsonNode now = JSON.readTree(get(adminPort, "/api/status").body());
                return now.path("validator").path("mode").asText().equals("validating")
                        && get(adminPort, "/health/ready").statusCode() == 200;
            });
            String validating = get(adminPort, "/metrics").body();
            assertThat(ReadmeMetrics.missingFrom(validating)).as("README metrics once validating").isEmpty();
            assertThat(ReadmeMetrics.unlistedIn(validating)).as("metrics README.md does not name").isEmpty();
            assertThat(ReadmeMetrics.mentionsNotIn(validating)).as("README mentions, organic ones aside (organic is off)")
                    .allSatisfy(name -> assertThat(name).startsWith("chorus_organic_"));

            subnet.owner.setHyperparameters(subnet.netuid, subnet.owner.hyperparameters(subnet.netuid)
                    .with("stakeThreshold", "1000000000000000000"));
            // Only the epoch takes a permit away; between epochs permits are only granted.
            subnet.chain.mine(TEMPO);
            subnet.owner.runEpoch(subnet.netuid);
            String modeChange = awaitLog(log, "mode changed from validating to observer (no validator permit)", Duration.ofSeconds(30));
            assertThat(modeChange).as("what to do, as /health/ready says it").contains("chorus chain stake");
            assertThat(get(adminPort, "/health/ready").body()).contains("chorus chain stake");
            assertThat(Files.readString(log)).doesNotContain(KEY_IN_URL);
        } finally {
            validator.destroy();
            if (!validator.waitFor(30, TimeUnit.SECONDS)) {
                validator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The first answer of {@code path}, however long the listener takes to open (connections refused till then). */
    private static HttpResponse<String> firstAnswer(int port, String path, Process validator, Duration patience) throws Exception {
        long until = System.nanoTime() + patience.toNanos();
        while (true) {
            assertThat(validator.isAlive()).as("validator process alive").isTrue();
            try {
                return get(port, path);
            } catch (IOException notListening) {
                assertThat(System.nanoTime()).as("an answer on %s within %s", path, patience).isLessThan(until);
                Thread.sleep(100);
            }
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Waits for {@code check}; a refused connection (the listener changing hands) counts as not yet. */
    private static void awaitTrue(String what, Duration patience, Process validator, Check check) throws Exception {
        long until = System.nanoTime() + patience.toNanos();
        while (!holds(check)) {
            assertThat(validator.isAlive()).as("validator process alive").isTrue();
            assertThat(System.nanoTime()).as(what).isLessThan(until);
            Thread.sleep(200);
        }
    }

    private static boolean holds(Check check) throws Exception {
        try {
            return check.holds();
        } catch (IOException handingOver) {
            return false;
        }
    }

    /** The first line of the validator's log that contains {@code text}, once there is one. */
    private static String awaitLog(Path log, String text, Duration patience) throws Exception {
        long until = System.nanoTime() + patience.toNanos();
        while (true) {
            var line = Files.readAllLines(log).stream().filter(l -> l.contains(text)).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            assertThat(System.nanoTime()).as("a log line with '%s'", text).isLessThan(until);
            Thread.sleep(200);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
