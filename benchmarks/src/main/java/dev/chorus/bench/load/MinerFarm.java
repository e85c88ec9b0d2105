package dev.chorus.bench.load;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.corpus.QaCorpus;
import dev.chorus.miner.corpus.QaPair;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.protocol.QueryRequest;
import dev.chorus.miner.server.MinerServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.web3j.crypto.Credentials;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The miners of a load run, in a process of their own so that the validator's CPU, heap and descriptors are measured
 * alone: one real {@link MinerServer} per hotkey (signature, replay, stake and permit checks all on), each answering
 * through a {@link ScriptedMiner}. Private keys come on stdin, one a line, ended by an empty line; it prints
 * {@value #READY} and the ports in key order on stdout, and stops when stdin closes. All servers share one metagraph
 * read from the chain every 30 s, instead of each reading its own.
 */
@Command(name = "miner-farm", mixinStandardHelpOptions = true)
public final class MinerFarm implements Callable<Integer> {

    static final String READY = "farm-ready";

    @Option(names = "--rpc", required = true)
    String rpc;
    @Option(names = "--contract", required = true)
    String contract;
    @Option(names = "--netuid", required = true)
    int netuid;
    @Option(names = "--seed", defaultValue = "1")
    long seed;
    @Option(names = "--median-ms", defaultValue = "40")
    double medianMs;
    @Option(names = "--sigma", defaultValue = "0.87")
    double sigma;
    @Option(names = "--cap-ms", defaultValue = "800")
    long capMs;
    @Option(names = "--error-rate", defaultValue = "0")
    double errorRate;
    @Option(names = "--hang-rate", defaultValue = "0")
    double hangRate;
    @Option(names = "--hang-ms", defaultValue = "3000")
    long hangMs;
    @Option(names = "--unique-answers", description = "Make every answer a text not seen before (defeats embedding caches).")
    boolean uniqueAnswers;
    @Option(names = "--requests-per-second", defaultValue = "10")
    double requestsPerSecond;
    @Option(names = "--timestamp-window-ms", defaultValue = "8000")
    long timestampWindowMs;
    @Option(names = "--max-concurrency", defaultValue = "16")
    int maxConcurrency;
    @Option(names = "--replay-cache-size", defaultValue = "100000")
    int replayCacheSize;

    public static void main(String[] args) {
        System.exit(new CommandLine(new MinerFarm()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        List<String> keys = new ArrayList<>();
        for (String line = in.readLine(); line != null && !line.isBlank(); line = in.readLine()) {
            keys.add(line.strip());
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no miner keys on stdin");
        }
        Vertx vertx = Vertx.vertx();
        SubnetChain chain = Web3jSubnetChain.local(rpc, contract, Credentials.create(keys.getFirst()), ClientOptions.defaults());
        AtomicReference<Metagraph> shared = new AtomicReference<>(chain.metagraph(netuid));
        long refresh = vertx.setPeriodic(30_000, id -> vertx.executeBlocking(() -> chain.metagraph(netuid), false)
                .onSuccess(shared::set)
                .onFailure(e -> System.err.println("miner farm: metagraph refresh failed: " + e)));
        MinerServerSettings d = MinerServerSettings.defaults();
        MinerServerSettings settings = new MinerServerSettings("127.0.0.1", 0, "127.0.0.1", d.maxBodyBytes(),
                Duration.ofMillis(timestampWindowMs), replayCacheSize, 0, requestsPerSecond, maxConcurrency,
                d.metagraphMaxStaleness(), true, (int) Math.max(d.rateBurst(), requestsPerSecond),
                Math.max(d.maxQueued(), maxConcurrency), d.maxHandlerTime(), d.bodyReadTimeout(),
                // Every load generator connects from 127.0.0.1, one sender network.
                d.maxSignatureChecks(), d.maxConnections(), d.maxConnections(), d.headerReadTimeout(), d.signatureThreads());
        LatencyScript script = new LatencyScript(medianMs, sigma, capMs, errorRate, hangRate);
        Map<String, String> reference = new HashMap<>();
        for (QaPair pair : QaCorpus.builtIn().pairs()) {
            reference.put(pair.question(), pair.answer());
        }
        List<MinerServer> servers = new ArrayList<>();
        StringBuilder ports = new StringBuilder(READY);
        for (int i = 0; i < keys.size(); i++) {
            MinerServer server = await(MinerServer.builder().vertx(vertx).hotkey(Hotkey.fromPrivateKey(keys.get(i)))
                    .netuid(netuid).metagraph(shared::get).options(settings).metagraphRefresh(Duration.ofSeconds(10))
                    .asyncMiner(new ScriptedMiner(vertx, script, seed * 1_000_003L + i, hangMs, answers(i, reference)))
                    .start());
            servers.add(server);
            ports.append(' ').append(server.port());
        }
        System.out.println(ports);
        System.out.flush();
        while (in.readLine() != null) {
            // Runs until the parent closes stdin (or dies, which closes it too).
        }
        vertx.cancelTimer(refresh);
        for (MinerServer server : servers) {
            await(server.close());
        }
        await(vertx.close());
        chain.close();
        return 0;
    }

    /**
     * Short answers of four kinds, so that consensus scoring has something to rank: the reference, its first
     * sentence, a paraphrase marker, and a non-answer. With {@code --unique-answers} each also names the miner and query.
     */
    private Function<QueryRequest, String> answers(int index, Map<String, String> reference) {
        return query -> {
            String full = reference.getOrDefault(query.prompt(), "I do not know.");
            String text = switch (index % 4) {
                case 0, 1 -> full;
                case 2 -> full.split("(?<=\\.)\\s", 2)[0];
                default -> "I am not sure, sorry.";
            };
            return uniqueAnswers ? text + " (miner " + index + ", query " + query.queryId() + ")" : text;
        };
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
