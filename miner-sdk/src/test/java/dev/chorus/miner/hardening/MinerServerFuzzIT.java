package dev.chorus.miner.hardening;

import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.server.MinerServer;
import dev.chorus.miner.testing.SubnetFixture;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded hostile requests against a real miner server over loopback: every hostile request is refused with a 4xx
 * (or the connection closed), never a 5xx and never a stall; the untouched controls mixed in keep getting 200, so the
 * server is alive throughout; and used heap after GC does not grow with the number of requests.
 */
class MinerServerFuzzIT {

    private static final Hotkey MINER = Hotkey.random();
    private static final Hotkey VALIDATOR = Hotkey.random();
    private static final int MAX_BODY = 16 * 1024;
    /** Requests whose HTTP framing is broken: the server may hang up on them instead of answering. */
    private static final java.util.Set<String> FRAMING_KINDS = java.util.Set.of("bad-chunking", "random-bytes");
    private static final long HEAP_GROWTH_LIMIT = 48L * 1024 * 1024;

    private static Vertx vertx;
    private static MinerServer server;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        SubnetFixture subnet = new SubnetFixture();
        subnet.validator(VALIDATOR, 5_000);
        subnet.miner(MINER, 1);
        MinerServerSettings settings = new MinerServerSettings("127.0.0.1", 0, "127.0.0.1", MAX_BODY,
                Duration.ofSeconds(8), 100_000, 100, 1_000_000.0, 8, Duration.ofMinutes(10), true, 1_000_000, 16,
                Duration.ofSeconds(10), Duration.ofMillis(300), 256, 1_024, 1_024,
                // a head cut short by broken framing is closed by this deadline, well within a client's 3 s patience
                Duration.ofSeconds(1), 0);
        server = MinerServer.builder().vertx(vertx).hotkey(MINER).netuid(SubnetFixture.NETUID)
                .metagraph(subnet::metagraph).options(settings).miner(q -> "fuzzed but alive").start().await();
    }

    @AfterAll
    static void stop() {
        server.close().await();
        vertx.close().await();
    }

    @Test
    void tenThousandHostileRequestsGetOnly4xx() throws Exception {
        fuzz(10_000, 20_250_109L);
    }

    @Test
    @Tag("long")
    void hundredThousandHostileRequestsGetOnly4xx() throws Exception {
        fuzz(100_000, 77L);
    }

    private static void fuzz(int count, long seed) throws Exception {
        HostileRequests requests = new HostileRequests(seed, VALIDATOR, MINER.address(), SubnetFixture.NETUID, MAX_BODY);
        Map<String, Map<String, Integer>> byKind = new TreeMap<>();
        fire(new HostileRequests(seed + 1, VALIDATOR, MINER.address(), SubnetFixture.NETUID, MAX_BODY), 200, new TreeMap<>());
        long heapBefore = usedHeapAfterGc();
        long started = System.nanoTime();
        fire(requests, count, byKind);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        long heapAfter = usedHeapAfterGc();

        Map<String, Integer> byStatus = new TreeMap<>();
        byKind.values().forEach(statuses -> statuses.forEach((status, n) -> byStatus.merge(status, n, Integer::sum)));
        System.out.printf("miner fuzz: %d requests in %d ms, seed %d, answers by status %s, heap after GC %d -> %d KiB%n",
                count, tookMs, seed, byStatus, heapBefore / 1024, heapAfter / 1024);
        System.out.printf("miner fuzz by kind: %s%n", byKind);

        assertThat(byStatus.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(count);
        byKind.forEach((kind, statuses) -> statuses.keySet().forEach(status -> {
            if (kind.equals("control")) {
                assertThat(status).as("an untouched signed query").isEqualTo("200");
            } else if (FRAMING_KINDS.contains(kind)) {
                assertThat(status).as("answer to %s (HTTP framing itself broken)", kind).matches("4\\d\\d|closed");
            } else {
                assertThat(status).as("answer to %s", kind).matches("4\\d\\d");
            }
        }));
        assertThat(byKind.get("control")).as("controls answered").containsKey("200");
        assertThat(heapAfter - heapBefore).as("used heap growth after GC").isLessThan(HEAP_GROWTH_LIMIT);
    }

    /** Eight clients at once, so the requests a slow-loris guard holds for its read timeout overlap. */
    private static void fire(HostileRequests requests, int count, Map<String, Map<String, Integer>> byKind)
            throws InterruptedException {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        try (var clients = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 8; c++) {
                clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        HostileRequests.Hostile hostile;
                        synchronized (requests) {
                            hostile = requests.next(i);
                        }
                        String status = exchange(hostile.raw());
                        if (hostile.valid() && status.equals("200")) {
                            synchronized (requests) {
                                requests.answered(hostile);
                            }
                        }
                        synchronized (byKind) {
                            byKind.computeIfAbsent(hostile.kind(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
                        }
                    }
                });
            }
        }
    }

    /** The status code as text, "closed" when the server hung up without a status line, "stalled" on no reply. */
    private static String exchange(byte[] raw) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout(3_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(raw);
                out.flush();
            } catch (IOException refusedMidBody) {
                // the server may answer and close before reading all of a hostile body; its answer is still readable
            }
            return statusLine(socket.getInputStream());
        } catch (SocketTimeoutException e) {
            return "stalled";
        } catch (IOException e) {
            return "closed";
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.append((char) b);
        }
        String[] parts = line.toString().split(" ");
        return parts.length >= 2 && parts[0].startsWith("HTTP/") ? parts[1] : "closed";
    }

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
