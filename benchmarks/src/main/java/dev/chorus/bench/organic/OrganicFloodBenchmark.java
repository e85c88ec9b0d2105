package dev.chorus.bench.organic;

import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.server.Miner;
import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.Query;
import dev.chorus.validator.ValidatorService;
import dev.chorus.validator.testing.TestSubnet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static dev.chorus.validator.testing.TestSubnet.await;

/**
 * Does a flood of organic requests stretch the synthetic round period? Starts a real subnet (Anvil, 8 miners on
 * loopback, the real model) and a validator with its organic API, runs synthetic rounds alone for a while
 * (baseline), then again while client threads send {@code POST /v1/ask} back to back, waiting only when told to
 * by a 429's Retry-After (flood), and compares the
 * effective round period (wall time per round started) and the round duration. A system benchmark, not JMH: the
 * quantity is a rate over tens of seconds of a whole service, not the time of one call.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.chorus.bench.organic.OrganicFloodBenchmark [seconds] [clients]</pre>
 */
public final class OrganicFloodBenchmark {

    private static final String KEY = "bench-organic-key-0123456789abcdef0123";
    private static final List<String> QUESTIONS = List.of("At what temperature does water boil at sea level?",
            "What is the capital of France?", "Why is the sky blue?", "Who wrote Hamlet?");

    private OrganicFloodBenchmark() {
    }

    /** Rounds started and their durations over one phase. */
    record Phase(String name, double seconds, long started, long skipped, double meanRoundMs,
                 long organicOk, long organicRateLimited, Map<Integer, Long> organicOtherStatus) {

        double effectivePeriodMs() {
            return started == 0 ? Double.NaN : seconds * 1000 / started;
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        List<Miner> miners = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int variant = i;
            miners.add(q -> "Answer " + variant + ": " + knowledge(q.prompt()));
        }
        try (TestSubnet subnet = TestSubnet.start(1000, miners);
             OnnxEmbeddingModel model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults())) {
            ValidatorConfig config = subnet.validatorConfig(Files.createTempDirectory("organic-bench"), Map.of(
                    "rounds.period", "2s", "rounds.round_deadline", "1800ms", "rounds.miner_timeout", "1500ms",
                    "organic.enabled", "true", "organic.port", "0", "organic.api_key_envs", "BENCH_KEY",
                    "organic.requests_per_minute", "1000000", "organic.burst", "100000",
                    "organic.max_concurrent_per_key", "8", "organic.max_concurrent", "8"));
            ValidatorService.Parts parts = new ValidatorService.Parts(subnet.client(subnet.validator),
                    new HttpMinerClient(subnet.vertx, Hotkey.fromPrivateKey(subnet.validator.privateKey()),
                            HttpMinerClientOptions.defaults()),
                    new RoundScorer(model, new ConsensusScorer(ScoringOptions.from(config.scoring(), config.rounds().minerTimeout()))),
                    () -> new Query("boil", QUESTIONS.get(0), null), new Random(1),
                    new HttpMinerClient(subnet.vertx, Hotkey.fromPrivateKey(subnet.validator.privateKey()),
                            HttpMinerClientOptions.defaults()));
            ValidatorService service = await(ValidatorService.start(subnet.vertx, config, parts, "", router -> { },
                    Map.of("BENCH_KEY", KEY)));
            try {
                MeterRegistry registry = service.metrics().registry();
                measure("warm-up", 10, registry, 0, service.organicPort());
                Phase baseline = measure("baseline", seconds, registry, 0, service.organicPort());
                Phase flood = measure("flood", seconds, registry, clients, service.organicPort());
                Phase after = measure("baseline again", seconds / 2, registry, 0, service.organicPort());
                report(List.of(baseline, flood, after), clients);
            } finally {
                await(service.stop());
            }
        }
    }

    private static String knowledge(String prompt) {
        String p = prompt.toLowerCase(Locale.ROOT);
        if (p.contains("boil")) {
            return "water boils at 100 degrees Celsius (212 F) at sea level.";
        }
        if (p.contains("france")) {
            return "Paris is the capital of France.";
        }
        if (p.contains("sky")) {
            return "the sky looks blue because air scatters short blue wavelengths of sunlight more than red ones.";
        }
        return "Hamlet was written by William Shakespeare around 1600.";
    }

    private static Phase measure(String name, int seconds, MeterRegistry registry, int clients, int port)
            throws InterruptedException {
        long started0 = rounds(registry, "completed") + rounds(registry, "failed");
        long skipped0 = rounds(registry, "skipped_overlap");
        Timer timer = registry.find("chorus_validator_round_duration").timer();
        long count0 = timer == null ? 0 : timer.count();
        double total0 = timer == null ? 0 : timer.totalTime(TimeUnit.MILLISECONDS);
        AtomicBoolean running = new AtomicBoolean(true);
        OrganicResponses responses = new OrganicResponses();
        LongAdder failed = new LongAdder();
        AtomicLong question = new AtomicLong();
        long t0 = System.nanoTime();
        try (ExecutorService flood = Executors.newVirtualThreadPerTaskExecutor();
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            for (int c = 0; c < clients; c++) {
                flood.submit(() -> {
                    while (running.get()) {
                        String prompt = QUESTIONS.get((int) (question.incrementAndGet() % QUESTIONS.size()));
                        try {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/v1/ask"))
                                    .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\": \"" + prompt + "\"}")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            responses.count(response.statusCode());
                            // As OpenAI client libraries do; a client that ignores it only costs the listener's
                            // own event loop, and in this JVM it would also take the validator's cores.
                            long retryAfter = response.headers().firstValueAsLong("retry-after").orElse(0);
                            if (response.statusCode() == 429 && retryAfter > 0) {
                                Thread.sleep(TimeUnit.SECONDS.toMillis(retryAfter));
                            }
                        } catch (java.io.IOException e) {
                            failed.increment();
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            running.set(false);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        timer = registry.find("chorus_validator_round_duration").timer();
        long rounds = timer.count() - count0;
        double mean = rounds == 0 ? Double.NaN : (timer.totalTime(TimeUnit.MILLISECONDS) - total0) / rounds;
        Phase phase = new Phase(name, wall, rounds(registry, "completed") + rounds(registry, "failed") - started0,
                rounds(registry, "skipped_overlap") - skipped0, mean,
                responses.ok(), responses.rateLimited(), responses.other());
        System.out.printf(Locale.ROOT, "%-15s %5.1f s: %d rounds started, %d skipped, period %.0f ms, round %.0f ms mean; organic %d ok, %d 429, other statuses %s%n",
                name, wall, phase.started(), phase.skipped(), phase.effectivePeriodMs(), mean, phase.organicOk(),
                phase.organicRateLimited(), phase.organicOtherStatus());
        if (failed.sum() > 0) {
            throw new IllegalStateException(failed.sum() + " organic requests failed at the HTTP level; the numbers are not usable");
        }
        if (clients > 0 && phase.organicOk() == 0) {
            throw new IllegalStateException("the flood got no organic answer at all; the benchmark measured nothing");
        }
        return phase;
    }

    private static long rounds(MeterRegistry registry, String outcome) {
        Counter counter = registry.find("chorus_validator_rounds").tag("outcome", outcome).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private static void report(List<Phase> phases, int clients) {
        System.out.println();
        System.out.println("| phase | wall (s) | rounds started | skipped (overlap) | effective period (ms) | mean round (ms) | organic answered | organic 429 | organic other status |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Phase p : phases) {
            System.out.printf(Locale.ROOT, "| %s | %.1f | %d | %d | %.0f | %.0f | %d (%.1f/s) | %d | %s |%n", p.name(), p.seconds(),
                    p.started(), p.skipped(), p.effectivePeriodMs(), p.meanRoundMs(), p.organicOk(),
                    p.organicOk() / p.seconds(), p.organicRateLimited(), p.organicOtherStatus().isEmpty() ? "none"
                            : p.organicOtherStatus().toString());
        }
        double stretch = phases.get(1).effectivePeriodMs() / phases.get(0).effectivePeriodMs() - 1;
        System.out.printf(Locale.ROOT, "%nflood of %d clients stretches the synthetic round period by %+.1f %% (limit +10 %%)%n",
                clients, 100 * stretch);
    }
}
