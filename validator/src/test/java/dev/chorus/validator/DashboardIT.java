package dev.chorus.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.chorus.validator.testing.TestSubnet.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Loads the dashboard in headless Chromium and checks its miners table against /api/status. */
class DashboardIT {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path SCRIPT = Path.of("src/test/js/dashboard-check.mjs");

    static TestSubnet subnet;

    /** One method, so the browser check runs first: JUnit does not order several @BeforeAll methods. */
    @BeforeAll
    static void startSubnetIfABrowserIsThere() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM
                + "; install Debian's chromium (.ci/run does) or set CHROMIUM");
        assumeTrue(Files.isDirectory(Path.of("node_modules/playwright-core")), "run `npm ci` in validator/ (mvn verify does)");
        subnet = TestSubnet.start(100, ValidatorServiceIT.ANSWERERS);
        ValidatorServiceIT.subnet = subnet;
        ValidatorServiceIT.startModel();
    }

    @AfterAll
    static void stop() throws Exception {
        ValidatorServiceIT.stopModel();
        if (subnet != null) {
            subnet.close();
        }
    }

    @Test
    void minersTableShowsWhatTheStatusApiSays(@TempDir Path state) throws Exception {
        ValidatorConfig config = subnet.validatorConfig(state, Map.of());
        ValidatorService service = await(ValidatorService.start(subnet.vertx, config, ValidatorServiceIT.parts(config), "", r -> { }));
        try {
            waitForRounds(service, 3);
            Path screenshot = Path.of("target", "dashboard.png").toAbsolutePath();
            JsonNode page = runBrowser("http://127.0.0.1:" + service.adminPort(), screenshot);

            assertThat(page.path("errors")).as("page errors and external requests").isEmpty();
            JsonNode status = page.path("status");
            Map<Integer, JsonNode> byUid = new HashMap<>();
            status.path("miners").forEach(m -> byUid.put(m.path("uid").asInt(), m));
            assertThat(page.path("rows").size()).isEqualTo(byUid.size()).isGreaterThanOrEqualTo(ValidatorServiceIT.ANSWERERS.size());
            for (JsonNode row : page.path("rows")) {
                JsonNode miner = byUid.get(row.path("uid").asInt());
                assertThat(miner).as("uid %s in /api/status", row.path("uid")).isNotNull();
                assertThat(row.path("score").asText()).isEqualTo(String.format(Locale.ROOT, "%.3f", miner.path("score").asDouble()));
                assertThat(row.path("weight").asText()).endsWith(String.format(Locale.ROOT, "%.3f", miner.path("weight").asDouble()));
            }
            assertThat(screenshot).isRegularFile();
            assertThat(Files.size(screenshot)).isGreaterThan(10_000);
        } finally {
            await(service.stop());
        }
    }

    private static void waitForRounds(ValidatorService service, int rounds) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            Map<String, Object> status = await(service.status());
            Object count = ((Map<?, ?>) status.get("rounds")).get("count");
            if (((Number) count).longValue() >= rounds && status.get("last_weights") != null) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("fewer than " + rounds + " rounds with weights within 60 s");
    }

    private static JsonNode runBrowser(String url, Path screenshot) throws IOException, InterruptedException {
        // A file, not the pipe: reading a pipe to its end would wait for node however long it hangs.
        Path output = Path.of("target", "dashboard-check.json").toAbsolutePath();
        Process node = new ProcessBuilder("node", SCRIPT.toString(), url, screenshot.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(output.toFile()).start();
        try {
            assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("browser finished within 60 s").isTrue();
            String out = Files.readString(output);
            assertThat(node.exitValue()).as("browser script exit code; output: %s", out).isZero();
            return new ObjectMapper().readTree(out);
        } finally {
            // Chromium's processes are node's children: once node is gone they no longer show as its descendants.
            node.descendants().toList().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
        }
    }
}
