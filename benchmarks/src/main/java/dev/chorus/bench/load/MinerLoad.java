package dev.chorus.bench.load;

import dev.chorus.miner.protocol.CanonicalJson;
import dev.chorus.miner.protocol.Epistula;
import dev.chorus.miner.protocol.EpistulaHeaders;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.IntStream;

/**
 * One miner-SDK server (in a {@link MinerFarm} child process, trivial handler) under closed-loop signed load: at
 * each step, {@code concurrency} clients each send a request, wait for the answer, and send the next. Requests are
 * signed before the step (the server refuses a replayed UUID, so each is distinct), because signing inside the loop
 * would spend the same two cores the server needs; the server's timestamp window and replay cache are widened to
 * allow for that ({@link #WINDOW_MS}). The
 * generator checks the status of each answer but not its signature.
 */
public final class MinerLoad {

    /** Settings of one run. */
    public record Options(List<Integer> concurrency, double stepSeconds, double warmupSeconds, double p99LimitMs) {

        public Options {
            concurrency = List.copyOf(concurrency);
            if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1) || stepSeconds <= 0 || warmupSeconds < 0) {
                throw new IllegalArgumentException("concurrency levels must be positive and a step must last some time");
            }
        }
    }

    /** One concurrency level: what was sent and how long answers took (client side, loopback). */
    public record Step(int concurrency, long requests, long errors, Map<Integer, Long> errorsByStatus, double seconds,
                       double p50Ms, double p99Ms, double maxMs, boolean ranOutOfRequests) {

        double requestsPerSecond() {
            return (requests - errors) / seconds;
        }
    }

    /**
     * The server's timestamp window: long enough for a step's requests, signed before it starts. Each request's UUID
     * stays in the replay cache for this long, so the cache is raised to 1,000,000 entries (the default 100,000 fills
     * after 100,000 requests inside one window and the server then answers 503 REPLAY_CACHE_FULL, by design).
     */
    private static final long WINDOW_MS = 120_000;

    private MinerLoad() {
    }

    public static MinerLoadReport run(Options o, PrintStream progress) throws Exception {
        progress.println("setting up: Anvil, a staked validator and one miner...");
        try (LoadSubnet subnet = LoadSubnet.start(1)) {
            List<String> farmArgs = List.of("--rpc", subnet.chain.rpcUrl(), "--contract", subnet.contract,
                    "--netuid", Integer.toString(subnet.netuid), "--median-ms", "1e-9", "--sigma", "0", "--cap-ms", "1",
                    "--requests-per-second", "1000000", "--timestamp-window-ms", Long.toString(WINDOW_MS),
                    "--replay-cache-size", "1000000", "--max-concurrency", "4096");
            try (MinerFarmProcess farm = MinerFarmProcess.start(List.of(subnet.miners.getFirst().privateKey()), farmArgs)) {
                Vertx vertx = Vertx.vertx();
                try {
                    Generator generator = new Generator(vertx, Hotkey.fromPrivateKey(subnet.validator.privateKey()),
                            subnet.miners.getFirst().address(), subnet.netuid, farm.ports().getFirst());
                    if (o.warmupSeconds() > 0) {
                        progress.printf("warm-up: %.0f s at concurrency 8%n", o.warmupSeconds());
                        generator.step(8, o.warmupSeconds(), 20_000);
                    }
                    List<Step> steps = new ArrayList<>();
                    double rate = 2_000;
                    for (int c : o.concurrency()) {
                        int pool = (int) Math.min(2_000_000, Math.max(2_000, rate * 2.5 * o.stepSeconds()));
                        Step step = generator.step(c, o.stepSeconds(), pool);
                        steps.add(step);
                        rate = Math.max(rate, step.requestsPerSecond());
                        progress.printf("concurrency %d: %.0f requests/s, p50 %.1f ms, p99 %.1f ms, %d errors%n",
                                c, step.requestsPerSecond(), step.p50Ms(), step.p99Ms(), step.errors());
                    }
                    return new MinerLoadReport(o, steps, Runtime.getRuntime().availableProcessors(), ValidatorLoad.loadAverage());
                } finally {
                    ValidatorLoad.await(vertx.close());
                }
            }
        }
    }

    /** Signed requests and the closed loops that send them. */
    private static final class Generator {
        private final Vertx vertx;
        private final Hotkey validator;
        private final String miner;
        private final int netuid;
        private final int port;

        Generator(Vertx vertx, Hotkey validator, String miner, int netuid, int port) {
            this.vertx = vertx;
            this.validator = validator;
            this.miner = miner;
            this.netuid = netuid;
            this.port = port;
        }

        private record Signed(Buffer body, EpistulaHeaders headers) {
        }

        private List<Signed> sign(int count) {
            long now = System.currentTimeMillis();
            return IntStream.range(0, count).parallel().mapToObj(i -> {
                byte[] body = CanonicalJson.write(QueryRequest.qa("load-" + UUID.randomUUID(), netuid,
                        "What is the capital of France?", now + WINDOW_MS));
                return new Signed(Buffer.buffer(body), Epistula.sign(validator, body, miner, now));
            }).toList();
        }

        Step step(int concurrency, double seconds, int poolSize) throws InterruptedException {
            List<Signed> pool = sign(poolSize);
            HttpClient http = vertx.httpClientBuilder()
                    .with(new HttpClientOptions().setKeepAlive(true).setDefaultHost("127.0.0.1").setDefaultPort(port))
                    .with(new PoolOptions().setHttp1MaxSize(concurrency))
                    .build();
            long[] latencies = new long[poolSize];
            AtomicInteger next = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            Map<Integer, Long> errors = new ConcurrentSkipListMap<>();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            CountDownLatch finished = new CountDownLatch(concurrency);
            for (int c = 0; c < concurrency; c++) {
                vertx.runOnContext(v -> send(http, pool, latencies, next, done, errors, end, finished));
            }
            finished.await();
            double took = (System.nanoTime() - start) / 1e9;
            http.close();
            int n = done.get();
            double[] ms = new double[n];
            for (int i = 0; i < n; i++) {
                ms[i] = latencies[i] / 1e6;
            }
            Percentiles p = new Percentiles(ms);
            long failed = errors.values().stream().mapToLong(Long::longValue).sum();
            return new Step(concurrency, n, failed, Map.copyOf(errors), took, p.at(50), p.at(99), p.max(), next.get() >= poolSize);
        }

        private void send(HttpClient http, List<Signed> pool, long[] latencies, AtomicInteger next, AtomicInteger done,
                          Map<Integer, Long> errors, long end, CountDownLatch finished) {
            int i = next.getAndIncrement();
            if (i >= pool.size() || System.nanoTime() >= end) {
                finished.countDown();
                return;
            }
            Signed signed = pool.get(i);
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/query")
                    .putHeader("Content-Type", "application/json");
            signed.headers().asRequestHeaders().forEach(request::putHeader);
            long sent = System.nanoTime();
            http.request(request)
                    // The body is asked for in send()'s own callback: a future further out runs a turn late, when the
                    // reply may have streamed past and its body never completes.
                    .compose(req -> req.send(signed.body())
                            .compose(response -> response.body().map(body -> response.statusCode())))
                    .onComplete(result -> {
                        if (result.failed() || result.result() != 200) {
                            // Status 0: no HTTP answer at all (connection failed or reset).
                            errors.merge(result.failed() ? 0 : result.result(), 1L, Long::sum);
                        }
                        latencies[done.getAndIncrement()] = System.nanoTime() - sent;
                        send(http, pool, latencies, next, done, errors, end, finished);
                    });
        }
    }
}
