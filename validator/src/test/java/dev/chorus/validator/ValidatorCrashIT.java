package dev.chorus.validator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.config.ConfigPrinter;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.StateFile;
import dev.chorus.validator.state.ValidatorState;
import dev.chorus.validator.testing.BlockClock;
import dev.chorus.validator.testing.TestSubnet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
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
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a real validator process with SIGKILL at random moments and restarts it: every restart loads a valid
 * state, resumes with the scores last persisted, and no weights transaction is ever sent twice (every
 * transaction the validator's key sent is an accepted WeightsSet on chain, with a rate limit that would
 * reject a resend), and no killed process leaves an {@code onnxruntime-java*} folder of native libraries behind in
 * {@code java.io.tmpdir}.
 */
class ValidatorCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static TestSubnet subnet;
    static BlockClock blocks;

    @BeforeAll
    static void start() throws Exception {
        subnet = TestSubnet.start(6, ValidatorServiceIT.ANSWERERS.subList(0, 4));
        subnet.owner.setHyperparameters(subnet.netuid, subnet.owner.hyperparameters(subnet.netuid).with("weightsRateLimit", "5"));
        blocks = BlockClock.start(subnet.chain, Duration.ofMillis(200));
    }

    @AfterAll
    static void stop() throws Exception {
        if (blocks != null) {
            blocks.close();
        }
        if (subnet != null) {
            subnet.close();
        }
    }

    @Test
    void survivesSigkillDuringRounds(@TempDir Path dir) throws Exception {
        killAndRestart(dir, 3, new Random(42));
    }

    @Test
    @Tag("long")
    void survivesThirtySigkills(@TempDir Path dir) throws Exception {
        killAndRestart(dir, 30, new Random(7));
    }

    private void killAndRestart(Path dir, int kills, Random random) throws Exception {
        int adminPort = TestSubnet.freePort();
        Path stateDir = dir.resolve("state");
        Path queries = dir.resolve("queries.jsonl");
        Files.writeString(queries, "{\"id\":\"water\",\"topic\":\"physics\",\"question\":\"" + ValidatorServiceIT.QUESTION.prompt()
                + "\",\"answer\":\"Water boils at 100 degrees Celsius at sea level.\"}\n");
        ValidatorConfig config = subnet.validatorConfig(stateDir, Map.of("admin.port", Integer.toString(adminPort),
                "rounds.query_set", queries.toString()));
        Path configFile = dir.resolve("validator.yaml");
        Files.writeString(configFile, ConfigPrinter.yaml(config));
        StateFile stateFile = new StateFile(stateDir);
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path cache = dir.resolve("cache");
        int validatorUid = subnet.owner.metagraph(subnet.netuid).byHotkey(subnet.validator.address()).orElseThrow().uid();

        for (int trial = 0; trial <= kills; trial++) {
            Optional<ValidatorState> before = stateFile.load(subnet.netuid, subnet.validator.address());
            Process validator = subnet.launchValidator(configFile, dir.resolve("validator-" + trial + ".log"), tmp, cache);
            try {
                JsonNode status = firstStatus(adminPort, validator);
                if (before.isPresent()) {
                    assertThat(status.path("rounds").path("count").asLong()).as("rounds after restart %d", trial)
                            .isEqualTo(before.get().round());
                    for (ValidatorState.ScoreEntry entry : before.get().scores()) {
                        if (entry.uid() == validatorUid) {
                            continue;
                        }
                        JsonNode miner = findMiner(status, entry.uid());
                        assertThat(miner).as("uid %d in /api/status after restart %d", entry.uid(), trial).isNotNull();
                        assertThat(miner.path("score").asDouble()).as("score of uid %d after restart %d", entry.uid(), trial)
                                .isEqualTo(entry.score());
                    }
                }
                if (trial == kills) {
                    awaitWeightsOnChain(Duration.ofSeconds(90));
                    break;
                }
                Thread.sleep(1500 + random.nextInt(2500));
            } finally {
                validator.destroyForcibly();
                validator.waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(stateFile.load(subnet.netuid, subnet.validator.address())).as("state after kill %d", trial).isPresent();
            assertThat(RoundLog.read(stateDir.resolve(RoundLog.FILE_NAME)).rounds()).isNotEmpty();
        }

        int uid = subnet.owner.metagraph(subnet.netuid).byHotkey(subnet.validator.address()).orElseThrow().uid();
        long accepted = subnet.weightsSetEvents(uid);
        long sent = subnet.transactionsSentBy(subnet.validator.address());
        assertThat(accepted).as("weights accepted on chain").isPositive();
        assertThat(sent - 2).as("weights transactions sent (after register and stake) vs accepted").isEqualTo(accepted);

        assertThat(names(tmp)).as("ONNX Runtime's folders left in java.io.tmpdir by killed validators")
                .noneMatch(name -> name.startsWith("onnxruntime-java"));
        Path libraries = cache.resolve("chorus").resolve("onnxruntime");
        assertThat(names(libraries)).as("ONNX Runtime versions cached").hasSize(1);
        assertThat(names(libraries.resolve(names(libraries).getFirst())))
                .contains(System.mapLibraryName("onnxruntime"), System.mapLibraryName("onnxruntime4j_jni"));
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(entry -> entry.getFileName().toString()).toList();
        }
    }

    /** The last life runs until its weights are on chain, so the count below never passes by having none. */
    private static void awaitWeightsOnChain(Duration patience) throws Exception {
        int uid = subnet.owner.metagraph(subnet.netuid).byHotkey(subnet.validator.address()).orElseThrow().uid();
        long until = System.nanoTime() + patience.toNanos();
        while (subnet.weightsSetEvents(uid) == 0 && System.nanoTime() < until) {
            Thread.sleep(250);
        }
    }

    private static JsonNode firstStatus(int port, Process validator) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            assertThat(validator.isAlive()).as("validator process alive").isTrue();
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode status = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
                if (status != null && !status.path("miners").isEmpty()) {
                    return status;
                }
                Thread.sleep(20);
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("validator did not serve /api/status within 60 s");
    }

    private static JsonNode findMiner(JsonNode status, int uid) {
        for (JsonNode miner : status.path("miners")) {
            if (miner.path("uid").asInt() == uid) {
                return miner;
            }
        }
        return null;
    }
}
