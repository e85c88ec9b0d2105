package dev.chorus.validator.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.config.ConfigPrinter;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM (what systemd and Docker send; Ctrl-C's SIGINT is handled alike) while a round waits for a slow miner: the
 * README promises the round finishes, scoring included, and the state is saved. The round scores after the signal, so the embedding model
 * must still work then; ONNX Runtime's own JVM shutdown hook released its native environment at the signal, and the
 * scoring crashed the JVM (SIGSEGV in libonnxruntime) with the state unsaved.
 */
class StopDuringRoundIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void sigtermWhileMinersAreAnsweringLetsTheRoundScoreAndSavesTheState(@TempDir Path dir) throws Exception {
        try (TestSubnet subnet = TestSubnet.start(100, List.of(
                query -> { Thread.sleep(2500); return "Plants turn light, water and carbon dioxide into sugar and oxygen."; },
                query -> "Photosynthesis makes sugar and oxygen from light, water and carbon dioxide."))) {
            int adminPort = TestSubnet.freePort();
            ValidatorConfig config = subnet.validatorConfig(dir.resolve("state"), Map.of("admin.port",
                    Integer.toString(adminPort), "rounds.period", "6s", "rounds.round_deadline", "5s",
                    "rounds.miner_timeout", "4s", "weights.dry_run", "true"));
            Path configFile = Files.writeString(dir.resolve("validator.yaml"), ConfigPrinter.yaml(config));
            Path log = dir.resolve("validator.log");
            Process validator = subnet.launchValidator(configFile, log);
            try {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                boolean inFlight = false;
                while (!inFlight) {
                    assertThat(validator.isAlive()).as("validator alive; log:%n%s", Files.readString(log)).isTrue();
                    assertThat(System.nanoTime()).as("a round in flight within 90 s").isLessThan(until);
                    inFlight = roundInFlight(adminPort);
                    if (!inFlight) {
                        Thread.sleep(50);
                    }
                }
                Thread.sleep(500);
                validator.destroy();
                assertThat(validator.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
                String written = Files.readString(log);
                assertThat(written).as("the JVM did not crash").doesNotContain("SIGSEGV", "A fatal error");
                assertThat(written).contains("stopping: finishing the rounds", "stopped; state saved after round 1");
                assertThat(validator.exitValue()).as("exit code; log:%n%s", written).isZero();
                JsonNode state = JSON.readTree(dir.resolve("state").resolve("validator-state.json").toFile());
                assertThat(state.path("round").asLong()).as("the round in flight at the signal, saved").isEqualTo(1);
            } finally {
                validator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean roundInFlight(int port) throws InterruptedException {
        try {
            HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/status")).build(), HttpResponse.BodyHandlers.ofString());
            return status.statusCode() == 200 && JSON.readTree(status.body()).path("rounds").path("in_flight").asBoolean();
        } catch (IOException notListeningYet) {
            return false;
        }
    }
}
