package dev.chorus.validator.organic;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.OrganicSettings;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.client.MinerClient;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.validator.state.RoundRecord;
import dev.chorus.validator.testing.RawHttpConnection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the organic listener treats connections, over raw sockets: a request refused before its body is read closes its
 * connection (else a client without a key holds it by trickling the body it announced), and a request's concurrency
 * slot is held by its round, not by its connection (else hanging up lets a client run any number of rounds), and one
 * host cannot hold every connection.
 */
class OrganicConnectionsIT {

    private static final String KEY = "organic-connections-key-0123456789abcdef";
    private static final String ASK = "{\"prompt\": \"At what temperature does water boil?\", \"max_miners\": 4}";
    private static final String CHAT = "{\"messages\": [{\"role\": \"user\", \"content\": \"At what temperature does water"
            + " boil?\"}], \"max_miners\": 4, \"stream\": true}";

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void aRequestWithoutAKeyIsAnsweredAndItsConnectionClosedBeforeItsBodyArrives() throws Exception {
        Listener organic = start(new HeldMiners(), "max_connections", "2");
        List<RawHttpConnection> attackers = new ArrayList<>();
        try {
            for (int k = 0; k < 2; k++) {
                RawHttpConnection attacker = RawHttpConnection.open(organic.port());
                attacker.write("POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 1000000\r\n\r\n{");
                attackers.add(attacker);
            }
            for (RawHttpConnection attacker : attackers) {
                assertThat(attacker.readUntilClosed()).startsWith("HTTP/1.1 401").contains("missing API key")
                        .containsIgnoringCase("connection: close");
            }
            // Both connections of max_connections are free again, long before the 60 s idle timeout would free them.
            assertThat(RawHttpConnection.statusOnceRoomIsFree(organic.port(), "GET /v1/models HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + KEY + "\r\n\r\n", Duration.ofSeconds(2))).isEqualTo("HTTP/1.1 200 OK");
        } finally {
            for (RawHttpConnection attacker : attackers) {
                attacker.close();
            }
        }
    }

    /** Unlike a body's bytes, those of an unfinished head do not restart the idle timeout (Vert.x 5), so no check is needed. */
    @Test
    void aRequestHeadSentAByteAtATimeIsCutOffAfterTwiceTheLongestDeadline() throws Exception {
        Listener organic = start(new HeldMiners(), "deadline", "500ms", "max_deadline", "500ms");
        try (RawHttpConnection trickler = RawHttpConnection.open(organic.port())) {
            assertThat(trickler.trickleUntilClosed(Duration.ofSeconds(4)).toMillis()).as("held for (ms)")
                    .isBetween(900L, 2500L);
        }
    }

    @Test
    void oneHostCannotTakeEveryConnection() throws Exception {
        Listener organic = start(new HeldMiners(), "host", "0.0.0.0", "max_connections_per_network", "2");
        RawHttpConnection.assertTwoPerNetwork(organic.port(),
                "GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\n\r\n");
    }

    @Test
    void aRateLimitedRequestIsAnsweredAndItsConnectionClosedBeforeItsBodyArrives() throws Exception {
        Listener organic = start(new HeldMiners(), "burst", "1", "requests_per_minute", "1");
        try (RawHttpConnection client = RawHttpConnection.open(organic.port())) {
            client.write("GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\n\r\n");
            assertThat(client.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        }
        try (RawHttpConnection client = RawHttpConnection.open(organic.port())) {
            client.write("POST /v1/ask HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{");
            assertThat(client.readUntilClosed()).startsWith("HTTP/1.1 429").contains("over its rate limit");
        }
    }

    @Test
    void aClientThatHangsUpKeepsItsSlotUntilItsRoundCompletes() throws Exception {
        for (String[] route : new String[][]{{"/v1/ask", ASK}, {"/v1/chat/completions", CHAT}}) {
            HeldMiners miners = new HeldMiners();
            Listener organic = start(miners, "max_concurrent", "1", "max_concurrent_per_key", "1");
            String request = post(route[0], route[1]);
            try (RawHttpConnection quitter = RawHttpConnection.open(organic.port())) {
                quitter.write(request);
                miners.awaitQueries(1);
            }
            Thread.sleep(200);
            try (RawHttpConnection next = RawHttpConnection.open(organic.port())) {
                next.write(request);
                assertThat(next.readUntilClosed()).as(route[0]).startsWith("HTTP/1.1 429")
                        .contains("already has 1 requests in flight");
            }
            miners.failAll();
            waitUntilNoRoundIsLeft(organic.rounds());
            // The round released the slot exactly once: one request fits again, and the next is refused.
            try (RawHttpConnection next = RawHttpConnection.open(organic.port())) {
                int before = miners.queries.get();
                next.write(request);
                miners.awaitQueries(before + 1);
                try (RawHttpConnection over = RawHttpConnection.open(organic.port())) {
                    over.write(request);
                    assertThat(over.readUntilClosed()).as(route[0]).startsWith("HTTP/1.1 429");
                }
            }
            organic.server().stop(Duration.ZERO).await();
        }
    }

    @Test
    void aRequestRefusedBeforeItsRoundGivesItsSlotBack() throws Exception {
        Listener organic = start(new HeldMiners(), "max_concurrent", "1", "max_concurrent_per_key", "1");
        for (int k = 0; k < 3; k++) {
            try (RawHttpConnection client = RawHttpConnection.open(organic.port())) {
                client.write(post("/v1/ask", "{\"prompt\": 7}"));
                assertThat(client.statusLine()).as("request " + k).isEqualTo("HTTP/1.1 400 Bad Request");
            }
        }
    }

    private Listener start(HeldMiners miners, String... overrides) {
        Map<String, String> values = new HashMap<>(Map.of("enabled", "true", "port", "0", "burst", "1000"));
        for (int k = 0; k < overrides.length; k += 2) {
            values.put(overrides[k], overrides[k + 1]);
        }
        OrganicSettings settings = ConfigLoader.load(OrganicSettings.defaults(), Optional.empty(), Map.of(), values);
        OrganicHost host = new OrganicHost() {
            @Override
            public Metagraph metagraph() {
                return Fixtures.metagraph(8);
            }

            @Override
            public double score(int uid) {
                return 0;
            }

            @Override
            public void record(RoundRecord round, double scoreWeight) {
            }
        };
        OrganicRounds rounds = new OrganicRounds(settings, 1, "0x" + "0".repeat(40), miners, null, host, null,
                new Random(1));
        OrganicServer organic = OrganicServer.create(vertx, settings, rounds, Map.of("CHORUS_API_KEY", KEY),
                new OrganicMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
        organic.start().await();
        return new Listener(organic, rounds);
    }

    private record Listener(OrganicServer server, OrganicRounds rounds) {
        int port() {
            return server.port();
        }
    }

    private static void waitUntilNoRoundIsLeft(OrganicRounds rounds) throws InterruptedException {
        for (int k = 0; k < 100 && rounds.inFlight() > 0; k++) {
            Thread.sleep(20);
        }
        assertThat(rounds.inFlight()).as("organic rounds in flight after the miners answered").isZero();
    }

    private static String post(String path, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + KEY + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body;
    }

    /** Miners whose answers wait until the test lets them fail, so that a round lasts exactly as long as it wants. */
    private static final class HeldMiners implements MinerClient {
        private final List<Promise<MinerAnswer>> pending = new ArrayList<>();
        private final AtomicInteger queries = new AtomicInteger();

        @Override
        public synchronized Future<MinerAnswer> query(Neuron miner, QueryRequest query) {
            queries.incrementAndGet();
            Promise<MinerAnswer> answer = Promise.promise();
            pending.add(answer);
            return answer.future();
        }

        synchronized void failAll() {
            pending.forEach(answer -> answer.tryFail("the test let the miner fail"));
            pending.clear();
        }

        /** Waits until at least {@code count} queries were sent: the round has started. */
        void awaitQueries(int count) throws InterruptedException {
            for (int k = 0; k < 150 && queries.get() < count; k++) {
                Thread.sleep(20);
            }
            assertThat(queries.get()).as("miner queries sent").isGreaterThanOrEqualTo(count);
        }

        @Override
        public void close() {
        }
    }
}
