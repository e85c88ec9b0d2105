package dev.chorus.miner.server;

import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.protocol.CanonicalJson;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.EpistulaHeaders;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.testing.Probe;
import dev.chorus.miner.testing.SubnetFixture;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forged signatures cost the miner a public-key recovery each, and anyone can send them in a permitted validator's
 * (public) name. A flood of them must not keep that validator's real queries from being answered.
 */
class SignatureFloodIT {

    private static final Hotkey MINER = Hotkey.random();
    private static final Hotkey VALIDATOR = Hotkey.random();
    private static final Hotkey FORGER = Hotkey.random();
    private static final int CONNECTIONS = 64;
    /**
     * Pipelined forgeries per flood connection, taken in order. Checked on the event loop, whatever of them it has
     * read goes before the validator's query: tens of thousands, seconds of work.
     */
    private static final int PER_CONNECTION = 2_000;

    private Vertx vertx;
    private MinerServer server;
    private Probe probe;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        SubnetFixture subnet = new SubnetFixture();
        subnet.validator(VALIDATOR, 1_000);
        subnet.miner(MINER, 1);
        // Room for every flood connection's check: each forgery pays a full recovery rather than a cheap BUSY.
        MinerServerSettings settings = new MinerServerSettings("127.0.0.1", 0, "127.0.0.1", 64 * 1024,
                Duration.ofSeconds(8), 1_000, 0, 1_000_000, 4, Duration.ofMinutes(10), true, 1_000_000, 4,
                Duration.ofSeconds(10), Duration.ofSeconds(10), 4 * CONNECTIONS, 1_024, 1_024, Duration.ofSeconds(30), 0);
        server = MinerServer.builder().vertx(vertx).hotkey(MINER).netuid(SubnetFixture.NETUID)
                .metagraph(subnet::metagraph).options(settings).miner(query -> "answered").start().await();
        probe = new Probe(vertx, server.port());
    }

    @AfterEach
    void stop() {
        probe.close();
        server.close().await();
        vertx.close().await();
    }

    @Test
    void theValidatorIsAnsweredWhileForgeriesInItsNameFloodTheMiner() throws Exception {
        Map<String, AtomicInteger> floodStatuses = new ConcurrentHashMap<>();
        AtomicInteger floodAnswered = new AtomicInteger();
        byte[] forgeries = forgeries(PER_CONNECTION);
        List<Socket> connections = new ArrayList<>();
        Probe.Draft query;
        Probe.Reply reply;
        long repliedAt;
        int answeredBeforeTheValidatorsReply;
        try (ExecutorService flood = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                for (int c = 0; c < CONNECTIONS; c++) {
                    Socket connection = new Socket(InetAddress.getLoopbackAddress(), server.port());
                    connections.add(connection);
                    flood.submit(() -> {
                        connection.getOutputStream().write(forgeries);
                        return null;
                    });
                    flood.submit(() -> countStatuses(new BufferedInputStream(connection.getInputStream()),
                            floodStatuses, floodAnswered));
                }
                long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (floodAnswered.get() < CONNECTIONS && System.nanoTime() < giveUp) {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
                assertThat(floodAnswered).as("the miner is answering the flood").hasValueGreaterThanOrEqualTo(CONNECTIONS);

                query = Probe.signedNow(VALIDATOR, MINER.address());
                reply = probe.send(query);
                repliedAt = System.currentTimeMillis();
                answeredBeforeTheValidatorsReply = floodAnswered.get();
            } finally {
                for (Socket connection : connections) {
                    connection.close();
                }
            }
        }

        assertThat(reply.status()).as("the validator's query: %s", reply.body()).isEqualTo(200);
        assertThat(repliedAt).as("the reply is in time for the query's deadline, 5 s after it was signed")
                .isLessThanOrEqualTo(query.query.deadline());
        assertThat(answeredBeforeTheValidatorsReply).as("forgeries answered before the validator's reply: it did not"
                + " queue behind the flood").isLessThan(CONNECTIONS * PER_CONNECTION / 10);
        assertThat(floodStatuses.keySet()).as("forgeries answered, by status: %s", floodStatuses).containsOnly("401");
        assertThat(probe.get("/metrics").body().toString()).contains("chorus_miner_signatures_waiting");
    }

    /** Requests in the validator's name, each with a fresh uuid, all bearing one signature by another key. */
    private static byte[] forgeries(int count) {
        long now = System.currentTimeMillis();
        byte[] body = CanonicalJson.write(QueryRequest.qa(UUID.randomUUID().toString(), SubnetFixture.NETUID,
                "forged", now + 5_000));
        String signature = Epistula.sign(FORGER, body, MINER.address(), now).signature();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            StringBuilder head = new StringBuilder("POST /v1/query HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    .append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            EpistulaHeaders headers = new EpistulaHeaders(Epistula.PROTOCOL_VERSION, now,
                    UUID.randomUUID().toString(), VALIDATOR.address(), MINER.address(), signature);
            headers.asRequestHeaders().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            out.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static Void countStatuses(InputStream in, Map<String, AtomicInteger> statuses, AtomicInteger answered)
            throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b != '\n') {
                line.append((char) b);
                continue;
            }
            // A body has no line end of its own: the next status line follows it on the same line.
            int at = line.indexOf("HTTP/1.1 ");
            if (at >= 0) {
                statuses.computeIfAbsent(line.substring(at + 9, at + 12), k -> new AtomicInteger()).incrementAndGet();
                answered.incrementAndGet();
            }
            line.setLength(0);
        }
        return null;
    }
}
