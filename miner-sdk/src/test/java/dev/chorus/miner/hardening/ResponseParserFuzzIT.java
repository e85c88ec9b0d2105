package dev.chorus.miner.hardening;

import dev.chorus.chain.Neuron;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.protocol.CanonicalJson;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.EpistulaHeaders;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.testing.SubnetFixture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile answers fed to the validator's {@link HttpMinerClient} by a scripted axon: whatever the body, the query's
 * future succeeds with a {@link MinerAnswer.Failed} of a kind that names the problem, never an exception or an Ok.
 */
class ResponseParserFuzzIT {

    private static final Hotkey VALIDATOR = Hotkey.random();
    private static final Hotkey MINER = Hotkey.random();
    private static final int CAP = 8 * 1024;
    private static final Set<MinerAnswer.Failure> SIGNED_BODY_FAILURES =
            Set.of(MinerAnswer.Failure.MALFORMED, MinerAnswer.Failure.OVERSIZE);

    private static Vertx vertx;
    private static HttpServer axon;
    private static HttpMinerClient client;
    private static Neuron miner;
    private static volatile Random random;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        axon = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> answerHostile(request, body)))
                .listen(0, "127.0.0.1").await();
        miner = SubnetFixture.servingOn(new SubnetFixture().miner(MINER, 1), axon.actualPort());
        client = new HttpMinerClient(vertx, VALIDATOR, new HttpMinerClientOptions(CAP, Duration.ofSeconds(2),
                Duration.ofSeconds(8), 4));
    }

    @AfterAll
    static void stop() {
        client.close();
        axon.close().await();
        vertx.close().await();
    }

    @Test
    void fiveThousandHostileAnswersAreAllClassifiedFailures() throws Exception {
        fuzz(5_000, 1_109L);
    }

    @Test
    @Tag("long")
    void fiftyThousandHostileAnswersAreAllClassifiedFailures() throws Exception {
        fuzz(50_000, 2_209L);
    }

    private static void fuzz(int count, long seed) throws Exception {
        random = new Random(seed);
        Map<String, Integer> byFailure = new TreeMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            QueryRequest query = QueryRequest.qa(UUID.randomUUID().toString(), SubnetFixture.NETUID, "question " + i,
                    System.currentTimeMillis() + 2_000);
            Future<MinerAnswer> asked = client.query(miner, query);
            MinerAnswer answer = asked.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(answer).as("answer %d", i).isInstanceOf(MinerAnswer.Failed.class);
            MinerAnswer.Failed failed = (MinerAnswer.Failed) answer;
            assertThat(failed.failure()).as("answer %d: %s", i, failed.detail())
                    .isIn(SIGNED_BODY_FAILURES.contains(failed.failure()) ? SIGNED_BODY_FAILURES
                            : Set.of(MinerAnswer.Failure.BAD_SIGNATURE));
            byFailure.merge(failed.failure().name(), 1, Integer::sum);
        }
        System.out.printf("response parser fuzz: %d hostile answers in %d ms, seed %d, outcomes %s%n", count,
                (System.nanoTime() - started) / 1_000_000, seed, byFailure);
        assertThat(byFailure.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(count);
        assertThat(byFailure).containsKeys("MALFORMED", "OVERSIZE", "BAD_SIGNATURE");
    }

    /** Runs on the axon's event loop, one request at a time, so the seeded sequence is reproducible. */
    private static void answerHostile(HttpServerRequest request, Buffer body) {
        String queryId = CanonicalJson.read(body.getBytes(), QueryRequest.class).queryId();
        byte[] payload = hostileBody(queryId);
        var response = request.response().putHeader("Content-Type", "application/json");
        if (random.nextInt(10) != 0) {
            EpistulaHeaders signed = Epistula.sign(MINER, payload, request.getHeader(EpistulaHeaders.SIGNED_BY),
                    request.getHeader(EpistulaHeaders.UUID), System.currentTimeMillis());
            signed.asResponseHeaders().forEach(response::putHeader);
        } else {
            response.putHeader(EpistulaHeaders.RESPONSE_SIGNATURE, "0x" + "ab".repeat(random.nextInt(80)));
        }
        response.end(Buffer.buffer(payload));
    }

    private static byte[] hostileBody(String queryId) {
        int pick = random.nextInt(8);
        String text = switch (pick) {
            case 0 -> List.of("null", "", "[]", "{}", "\"\"", "0", "true", "{\"queryId\":null,\"answer\":null}")
                    .get(random.nextInt(8));
            // a bare number or boolean answer is coerced to its text by the shared mapper, so only non-scalars here
            case 1 -> "{\"queryId\":\"" + queryId + "\",\"answer\":" + List.of("[]", "{}", "null", "[\"a\"]")
                    .get(random.nextInt(4)) + "}";
            case 2 -> "{\"queryId\":\"" + queryId + "\",\"answer\":\"x\",\"deep\":" + "[".repeat(1_001 + random.nextInt(2_500))
                    + "]".repeat(random.nextInt(2) * 3_600) + "}";
            case 3 -> "{\"queryId\":\"other-" + random.nextInt() + "\",\"answer\":\"fine\"}";
            case 4 -> "{\"queryId\":\"" + queryId + "\",\"answer\":\"" + "x".repeat(CAP) + "\"}";
            case 5 -> "{\"queryId\":\"" + queryId + "\",\"answer\":\"truncated";
            case 6 -> "{\"queryId\":\"" + queryId + "\",\"answer\":\"ok\",\"timings\":{\"queuedMs\":\"soon\",\"computeMs\":1e999}}";
            default -> null;
        };
        if (text != null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        byte[] raw = ("{\"queryId\":\"" + queryId + "\",\"answer\":\"ab\"}").getBytes(StandardCharsets.UTF_8);
        int at = raw.length - 4;
        raw[at] = (byte) (0x80 + random.nextInt(0x80));
        raw[at + 1] = (byte) random.nextInt(0x80);
        return raw;
    }
}
