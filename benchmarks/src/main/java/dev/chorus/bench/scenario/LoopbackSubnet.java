package dev.chorus.bench.scenario;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.scored.RoundAnswers;
import dev.chorus.miner.server.AsyncMiner;
import dev.chorus.miner.server.MinerServer;
import dev.chorus.miner.testing.SubnetFixture;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The simulated miners behind real miner-SDK servers on loopback, asked by real signed clients, one per validator:
 * every answer crosses the wire protocol (Epistula signatures, replay cache, rate limits, response signatures).
 *
 * <p>Each miner sleeps its simulated latency times {@code timeScale} before answering, and the validator divides
 * the latency it measures by the same factor before scoring, so a run at 0.1 takes a tenth of the wall time and
 * scores on the simulated time scale. The metagraph is fixed (no chain): miners at uids 0..n-1, the validators,
 * each with a permit, after them. The query id carries the validator and round, which is how a miner picks the
 * same random source as an in-process run: answers match the in-process run; latencies carry network jitter.
 */
public final class LoopbackSubnet implements AnswerSource {

    private static final int NETUID = SubnetFixture.NETUID;
    private static final long VALIDATOR_STAKE = 1_000_000_000_000_000_000L;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /**
     * An unrecorded round per validator before the recorded ones: opens the connections and warms the JIT, so the
     * first recorded round is not slowed (and its latencies, divided by the time scale, inflated) by a cold start.
     */
    private static final int WARM_UP_ROUND = -1;

    private final Vertx vertx;
    private final List<MinerServer> servers = new ArrayList<>();
    private final List<HttpMinerClient> clients = new ArrayList<>();
    private final List<Neuron> minerNeurons = new ArrayList<>();
    private final double timeScale;
    private final Duration minerTimeout;

    private LoopbackSubnet(Vertx vertx, double timeScale, Duration minerTimeout) {
        this.vertx = vertx;
        this.timeScale = timeScale;
        this.minerTimeout = minerTimeout;
    }

    /**
     * Starts one server per miner and one client per validator.
     *
     * @param timeScale    wall time per simulated millisecond, in (0, 1]
     * @param minerTimeout each query's deadline on the simulated time scale
     */
    public static Function<List<SimulatedMiner>, AnswerSource> transport(QaCorpus corpus, long seed, int validators,
                                                                         double timeScale, Duration minerTimeout) {
        if (!(timeScale > 0 && timeScale <= 1)) {
            throw new IllegalArgumentException("--time-scale is " + timeScale + ": give a factor in (0, 1], e.g. 0.1");
        }
        return miners -> start(miners, corpus, seed, validators, timeScale, minerTimeout);
    }

    private static LoopbackSubnet start(List<SimulatedMiner> miners, QaCorpus corpus, long seed, int validators,
                                        double timeScale, Duration minerTimeout) {
        LoopbackSubnet subnet = new LoopbackSubnet(Vertx.vertx(), timeScale, minerTimeout);
        try {
            subnet.open(miners, corpus, seed, validators);
            return subnet;
        } catch (RuntimeException e) {
            subnet.close();
            throw e;
        }
    }

    private void open(List<SimulatedMiner> miners, QaCorpus corpus, long seed, int validators) {
        Map<String, QaPair> byId = corpus.pairs().stream().collect(Collectors.toMap(QaPair::id, p -> p));
        List<Hotkey> minerKeys = miners.stream().map(m -> Hotkey.random()).toList();
        List<Hotkey> validatorKeys = new ArrayList<>();
        SubnetFixture subnet = new SubnetFixture();
        // Axons are known only once the servers listen; a server itself reads only the hotkeys, stakes and permits,
        // and whether its own axon is served at all (port 0 is not, and the server would warn that no validator finds it).
        List<Neuron> registered = minerKeys.stream().map(key -> subnet.miner(key, 1)).toList();
        for (int v = 0; v < validators; v++) {
            Hotkey key = Hotkey.random();
            validatorKeys.add(key);
            subnet.validator(key, VALIDATOR_STAKE);
        }
        Metagraph seenByMiners = subnet.metagraph();
        MinerServerSettings settings = MinerServerSettings.defaults().onLoopback(1_000);
        for (int uid = 0; uid < miners.size(); uid++) {
            MinerServer server = await(MinerServer.builder().vertx(vertx).hotkey(minerKeys.get(uid)).netuid(NETUID)
                    .metagraph(() -> seenByMiners).options(settings)
                    .asyncMiner(new Delayed(miners.get(uid), uid, byId, seed)).start());
            servers.add(server);
            minerNeurons.add(SubnetFixture.servingOn(registered.get(uid), server.port()));
        }
        for (Hotkey key : validatorKeys) {
            clients.add(new HttpMinerClient(vertx, key, HttpMinerClientOptions.defaults()));
        }
        for (int v = 0; v < validators; v++) {
            ask(v, WARM_UP_ROUND, corpus.get(0), uid -> 0);
        }
    }

    @Override
    public List<Asked> ask(int validator, int round, QaPair question, IntToDoubleFunction trust) {
        long deadline = System.currentTimeMillis() + Math.max(1, Math.round(minerTimeout.toMillis() * timeScale));
        QueryRequest query = QueryRequest.qa(queryId(validator, round, question), NETUID, question.question(), deadline);
        HttpMinerClient client = clients.get(validator);
        List<Future<MinerAnswer>> pending = minerNeurons.stream().map(n -> client.query(n, query)).toList();
        List<MinerAnswer> answers = await(Future.all(pending)).list();
        List<Asked> asked = new ArrayList<>(answers.size());
        for (MinerAnswer answer : answers) {
            MinerAnswer simulated = onSimulatedClock(answer);
            String failure = simulated instanceof MinerAnswer.Failed f ? f.failure().name() : null;
            String detail = simulated instanceof MinerAnswer.Failed f ? f.detail() : null;
            asked.add(new Asked(RoundAnswers.of(simulated, trust.applyAsDouble(answer.uid())), failure,
                    detail));
        }
        return asked;
    }

    private MinerAnswer onSimulatedClock(MinerAnswer answer) {
        Duration latency = Duration.ofNanos(Math.round(answer.latency().toNanos() / timeScale));
        return switch (answer) {
            case MinerAnswer.Ok ok -> MinerAnswer.ok(ok.uid(), ok.response(), latency);
            case MinerAnswer.Failed f -> MinerAnswer.failed(f.uid(), f.failure(), f.detail(), latency);
        };
    }

    private static String queryId(int validator, int round, QaPair question) {
        return "v" + validator + ":r" + round + ":" + question.id();
    }

    @Override
    public void close() {
        clients.forEach(HttpMinerClient::close);
        for (MinerServer server : servers) {
            await(server.close());
        }
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the loopback subnet", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The loopback subnet failed: " + e.getMessage(), e);
        }
    }

    /** A simulated miner behind a server: the reply of its (validator, round) random source, after its latency. */
    private final class Delayed implements AsyncMiner {
        private final SimulatedMiner miner;
        private final int uid;
        private final Map<String, QaPair> questions;
        private final long seed;

        Delayed(SimulatedMiner miner, int uid, Map<String, QaPair> questions, long seed) {
            this.miner = miner;
            this.uid = uid;
            this.questions = questions;
            this.seed = seed;
        }

        @Override
        public CompletionStage<String> answer(QueryRequest query) {
            String[] parts = query.queryId().split(":", 3);
            QaPair question = parts.length == 3 ? questions.get(parts[2]) : null;
            if (question == null || !parts[0].startsWith("v") || !parts[1].startsWith("r")) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("not a scenario query: "
                        + query.queryId()));
            }
            SimulatedMiner.Reply reply = miner.reply(question, Scenario.random(seed,
                    Integer.parseInt(parts[0].substring(1)), Integer.parseInt(parts[1].substring(1)), uid));
            Promise<String> answer = Promise.promise();
            vertx.setTimer(Math.max(1, Math.round(reply.latencyMs() * timeScale)), id -> answer.complete(reply.text()));
            return answer.future().toCompletionStage();
        }
    }
}
