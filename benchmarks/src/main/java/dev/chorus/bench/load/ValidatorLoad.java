package dev.chorus.bench.load;

import dev.chorus.bench.replay.CachingEmbeddingModel;
import dev.chorus.chain.local.DevAccount;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.corpus.QaCorpus;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingModel;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.CorpusQuerySource;
import dev.chorus.validator.ValidatorService;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One real {@link ValidatorService} against {@code miners} miner-SDK servers on loopback, rounds driven back to back
 * with {@link ValidatorService#runRound()}. The miners run in a {@link MinerFarm} child process, so the CPU, heap
 * and descriptors measured here are the validator's (and this harness's, which only waits). Of the failures, a
 * quarter are miners whose axon points at a closed port (connection refused); the rest are drawn per query, two
 * thirds HTTP 500 at once and one third no answer before the deadline.
 */
public final class ValidatorLoad {

    /** Settings of one run. */
    public record Options(int miners, int rounds, int warmup, long seed, double failureRate, double medianMs,
                          double sigma, long capMs, Duration minerTimeout, boolean uniqueAnswers, int questions,
                          int checkpointEvery) {

        public Options {
            if (miners < 2 || rounds < 1 || warmup < 0 || questions < 1 || checkpointEvery < 1) {
                throw new IllegalArgumentException("need at least 2 miners, 1 round, 1 question and a positive checkpoint interval");
            }
            if (failureRate < 0 || failureRate >= 0.5) {
                throw new IllegalArgumentException("--failure-rate is a share below 0.5, got " + failureRate);
            }
            if (capMs >= minerTimeout.toMillis()) {
                throw new IllegalArgumentException("--latency-cap-ms must stay under --miner-timeout-ms (answers are meant to arrive)");
            }
        }

        /** Miners whose axon is a closed port. */
        int deadMiners() {
            return failureRate == 0 ? 0 : Math.max(1, (int) Math.round(miners * failureRate / 4));
        }

        /** Per-query failure share of the live miners, so that all failures together come to {@link #failureRate}. */
        double perQueryFailureRate() {
            int dead = deadMiners();
            return Math.max(0, (failureRate * miners - dead) / (miners - dead));
        }
    }

    /**
     * What one round cost. {@code floorMs}: the slowest answering miner's own time (the compute time it reports), or
     * the miner timeout when a miner hung; {@code failures} by {@link #kind}.
     */
    public record RoundSample(int round, boolean completed, double wallMs, double floorMs, boolean waitedForDeadline,
                              double scoringMs, double cpuMs, int answered, Map<String, Integer> failures) {

        double overheadMs() {
            return wallMs - floorMs;
        }
    }

    /** Heap after a full collection and open descriptors, after {@code round} measured rounds. */
    public record Checkpoint(int round, double heapMb, long openFiles, long minerFarmOpenFiles, double seconds) {
    }

    private ValidatorLoad() {
    }

    public static ValidatorLoadReport run(Options o, PrintStream progress) throws Exception {
        long setupStart = System.nanoTime();
        int live = o.miners() - o.deadMiners();
        double perQuery = o.perQueryFailureRate();
        progress.printf("setting up: Anvil, %d miners registered (%d with a closed port)...%n", o.miners(), o.deadMiners());
        try (LoadSubnet subnet = LoadSubnet.start(o.miners())) {
            List<DevAccount> liveAccounts = subnet.miners.subList(0, live);
            List<DevAccount> deadAccounts = subnet.miners.subList(live, o.miners());
            List<String> farmArgs = new ArrayList<>(List.of("--rpc", subnet.chain.rpcUrl(), "--contract", subnet.contract,
                    "--netuid", Integer.toString(subnet.netuid), "--seed", Long.toString(o.seed()),
                    "--median-ms", Double.toString(o.medianMs()), "--sigma", Double.toString(o.sigma()),
                    "--cap-ms", Long.toString(o.capMs()), "--error-rate", Double.toString(perQuery * 2 / 3),
                    "--hang-rate", Double.toString(perQuery / 3),
                    "--hang-ms", Long.toString(o.minerTimeout().toMillis() + 2_000)));
            if (o.uniqueAnswers()) {
                farmArgs.add("--unique-answers");
            }
            try (MinerFarmProcess farm = MinerFarmProcess.start(liveAccounts.stream().map(DevAccount::privateKey).toList(), farmArgs)) {
                subnet.serveAxons(liveAccounts, farm.ports());
                List<Integer> closed = new ArrayList<>();
                for (int i = 0; i < deadAccounts.size(); i++) {
                    closed.add(closedPort());
                }
                subnet.serveAxons(deadAccounts, closed);
                double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
                progress.printf("set up in %.1f s; running %d warm-up and %d measured rounds%n", setupSeconds, o.warmup(),
                        o.rounds());
                return drive(o, subnet, farm, setupSeconds, progress);
            }
        }
    }

    private static ValidatorLoadReport drive(Options o, LoadSubnet subnet, MinerFarmProcess farm, double setupSeconds,
                                             PrintStream progress) throws Exception {
        Path stateDir = Files.createTempDirectory("chorus-load");
        ValidatorConfig config = config(o, subnet, stateDir);
        Vertx vertx = Vertx.vertx();
        EmbeddingModel onnx = OnnxEmbeddingModel.open(EmbeddingOptions.from(config.embedding()));
        EmbeddingModel model = o.uniqueAnswers() ? onnx : new CachingEmbeddingModel(onnx);
        Hotkey hotkey = Hotkey.fromPrivateKey(subnet.validator.privateKey());
        RecordingMinerClient miners = new RecordingMinerClient(new HttpMinerClient(vertx, hotkey,
                HttpMinerClientOptions.from(config.rounds())));
        QaCorpus corpus = QaCorpus.builtIn();
        QaCorpus asked = new QaCorpus("load", corpus.pairs().subList(0, Math.min(o.questions(), corpus.size())));
        ValidatorService.Parts parts = new ValidatorService.Parts(subnet.client(subnet.validator), miners,
                new RoundScorer(model, new ConsensusScorer(ScoringOptions.from(config.scoring(), config.rounds().minerTimeout()))),
                new CorpusQuerySource(asked, new Random(o.seed())), new Random(o.seed()));
        ValidatorService service = await(ValidatorService.start(vertx, config, parts, "", router -> { }));
        try {
            Timer scoring = service.metrics().registry().find("chorus_validator_embedding_duration").timer();
            List<RoundSample> samples = new ArrayList<>();
            List<Checkpoint> checkpoints = new ArrayList<>();
            long t0 = 0;
            Duration farmCpu0 = Duration.ZERO;
            for (int r = 1 - o.warmup(); r <= o.rounds(); r++) {
                if (r == 1) {
                    t0 = System.nanoTime();
                    farmCpu0 = farm.cpu();
                    checkpoints.add(checkpoint(0, farm, 0));
                }
                RoundSample sample = round(service, miners, scoring, r, o.minerTimeout().toMillis());
                if (r >= 1) {
                    samples.add(sample);
                    if (r % o.checkpointEvery() == 0 || r == o.rounds()) {
                        Checkpoint c = checkpoint(r, farm, (System.nanoTime() - t0) / 1e9);
                        checkpoints.add(c);
                        progress.printf("round %d: %.0f s, heap after GC %.1f MB, %d open files (miners: %d)%n",
                                r, c.seconds(), c.heapMb(), c.openFiles(), c.minerFarmOpenFiles());
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double farmCpuMsPerRound = (farm.cpu().minus(farmCpu0)).toNanos() / 1e6 / o.rounds();
            return new ValidatorLoadReport(o, setupSeconds, seconds, samples, checkpoints, farmCpuMsPerRound,
                    Runtime.getRuntime().availableProcessors(), loadAverage());
        } finally {
            await(service.stop());
            model.close();
            await(vertx.close());
        }
    }

    private static RoundSample round(ValidatorService service, RecordingMinerClient miners, Timer scoring, int number,
                                     long minerTimeoutMs) throws Exception {
        miners.drain();
        double scoring0 = scoring == null ? 0 : scoring.totalTime(TimeUnit.MILLISECONDS);
        Duration cpu0 = ProcessStats.cpu();
        long start = System.nanoTime();
        boolean completed = true;
        try {
            await(service.runRound());
        } catch (ExecutionException e) {
            completed = false;
        }
        double wallMs = (System.nanoTime() - start) / 1e6;
        double cpuMs = ProcessStats.cpu().minus(cpu0).toNanos() / 1e6;
        double scoringMs = scoring == null ? 0 : scoring.totalTime(TimeUnit.MILLISECONDS) - scoring0;
        long slowest = 0;
        int answered = 0;
        boolean hung = false;
        Map<String, Integer> failures = new TreeMap<>();
        for (MinerAnswer answer : miners.drain()) {
            switch (answer) {
                case MinerAnswer.Ok ok -> {
                    answered++;
                    slowest = Math.max(slowest, ok.response().timings() == null ? 0 : ok.response().timings().computeMs());
                }
                case MinerAnswer.Failed failed -> {
                    String kind = kind(failed);
                    failures.merge(kind, 1, Integer::sum);
                    hung |= kind.equals("TIMEOUT") || kind.equals("HTTP_504");
                }
            }
        }
        double floor = hung ? Math.max(slowest, minerTimeoutMs) : slowest;
        return new RoundSample(number, completed, wallMs, floor, hung, scoringMs, cpuMs, answered, failures);
    }

    /**
     * The failure, with the status for HTTP_STATUS: a hung miner ends as TIMEOUT when the validator's timer fires
     * first, or as HTTP_504 when the miner server's own deadline answer arrives first; both waited for the deadline.
     */
    static String kind(MinerAnswer.Failed failed) {
        if (failed.failure() == MinerAnswer.Failure.HTTP_STATUS) {
            return "HTTP_" + failed.detail().split(" ", 2)[0];
        }
        return failed.failure().name();
    }

    private static Checkpoint checkpoint(int round, MinerFarmProcess farm, double seconds) {
        return new Checkpoint(round, ProcessStats.heapAfterGc() / (1024.0 * 1024.0), ProcessStats.openFiles(),
                farm.openFiles(), seconds);
    }

    private static ValidatorConfig config(Options o, LoadSubnet subnet, Path stateDir) {
        Map<String, String> set = new HashMap<>();
        set.put("chain.rpc_url", subnet.chain.rpcUrl());
        set.put("chain.contract_address", subnet.contract);
        set.put("chain.netuid", Integer.toString(subnet.netuid));
        // Rounds are started by runRound(); the schedule is set long enough never to fire.
        set.put("rounds.period", "24h");
        set.put("rounds.miner_timeout", o.minerTimeout().toMillis() + "ms");
        set.put("rounds.round_deadline", (o.minerTimeout().toMillis() + 1_000) + "ms");
        set.put("rounds.sample_size", Integer.toString(o.miners()));
        // The miner farm serves on loopback, which a validator asks only when told the chain is a local one.
        set.put("rounds.allow_private_axons", "true");
        set.put("admin.port", "0");
        set.put("state.dir", stateDir.toString());
        return ConfigLoader.load(ValidatorConfig.defaults(), Optional.empty(), Map.of(), set);
    }

    private static int closedPort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
