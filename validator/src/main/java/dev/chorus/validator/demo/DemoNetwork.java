package dev.chorus.validator.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.WeightRow;
import dev.chorus.chain.local.DevAccount;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.local.LocalChainOptions;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.ConfigPrinter;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import dev.chorus.validator.ValidatorService;
import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.RoundRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A whole subnet on this machine: Anvil, the Subnet contract, validators with stake and miners of known
 * quality served over real HTTP, run for a few tempos through the real validator service, the real model
 * and the chain's own epoch. Everything started here is stopped by {@link #close()}.
 */
public final class DemoNetwork implements AutoCloseable {

    /**
     * @param tempo        blocks per epoch
     * @param tempos       epochs to run before reporting
     * @param validators   validators with stake
     * @param blockMillis  a block is mined this often (Anvil otherwise mines only on transactions)
     * @param roundPeriod  time between a validator's rounds
     * @param stateDir     where validators keep state files and round logs
     */
    public record Options(int tempo, int tempos, int validators, long blockMillis, Duration roundPeriod, Path stateDir) {

        public static Options defaults(Path stateDir) {
            return new Options(12, 3, 2, 300, Duration.ofMillis(2000), stateDir);
        }
    }

    private static final String ORGANIC_KEY_ENV = "CHORUS_API_KEY";
    /** Each validator's effective settings, in its state folder. */
    public static final String SETTINGS_FILE = "validator.yaml";
    /** Each miner's class and true quality, in the format {@code chorus-bench} reads beside a round log or one folder up. */
    public static final String TRUTH_FILE = "truth.json";

    /** Validator i keeps its state and round log in this prefix plus i, inside the state folder. */
    public static final String VALIDATOR_FOLDER = "validator-";

    /** One line of {@link #TRUTH_FILE}. */
    record MinerTruth(int uid, String minerClass, double quality) {
    }

    /** A key for this run's organic API, made up at start; it unlocks nothing beyond this local demo. */
    private final String organicKey = "demo-" + java.util.UUID.randomUUID();

    /** Rounds each validator scores before the epochs that are reported start. */
    private static final int WARM_UP_ROUNDS = 4;
    private static final BigInteger VALIDATOR_STAKE = BigInteger.TEN.pow(12);

    private final Options options;
    private final PrintStream progress;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<DemoMiners.Running> miners = new ArrayList<>();
    private final List<ValidatorService> validators = new ArrayList<>();
    /** Each validator's start, kept so that one a stop interrupted the wait for is stopped once it has started. */
    private final List<Future<ValidatorService>> validatorStarts = new ArrayList<>();
    /** Whether an interrupt came during {@link #close}, which waits on regardless; it is handed back to the caller. */
    private boolean interruptedWhileClosing;
    private final List<SubnetChain> validatorChains = new ArrayList<>();
    private LocalChain chain;
    private Vertx vertx;
    private SubnetChain owner;
    private String contract;
    private int netuid;
    private int epochs;
    private long nextEpochBlock;

    private DemoNetwork(Options options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Starts the network and runs it until {@code options.tempos()} epochs have been paid. */
    public static DemoNetwork run(Options options, PrintStream progress) throws Exception {
        DemoNetwork network = new DemoNetwork(options, progress);
        try {
            network.start();
            network.runEpochs();
            return network;
        } catch (Exception | Error e) {
            network.close();
            throw e;
        }
    }

    private void start() throws Exception {
        int accounts = 1 + options.validators() + DemoMiners.LINEUP.size();
        progress.println("starting the local chain (Anvil) with " + accounts + " funded accounts...");
        chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(accounts));
        resources.add(chain);
        ClientOptions client = ClientOptions.localChain(chain.chainId());
        DevAccount ownerAccount = chain.devAccount(0);
        contract = Web3jSubnetChain.deploy(chain.rpcUrl(), ownerAccount.credentials(), client);
        owner = Web3jSubnetChain.local(chain.rpcUrl(), contract, ownerAccount.credentials(), client);
        resources.add(owner);
        netuid = owner.createSubnet(Hyperparameters.localDevelopment(options.tempo()).with("minAllowedWeights", "1"));
        progress.println("deployed Subnet at " + contract + ", created netuid " + netuid + " (tempo " + options.tempo() + ")");

        List<DevAccount> validatorAccounts = new ArrayList<>();
        for (int i = 0; i < options.validators(); i++) {
            DevAccount account = chain.devAccount(1 + i);
            SubnetChain client1 = Web3jSubnetChain.local(chain.rpcUrl(), contract, account.credentials(), client);
            resources.add(client1);
            client1.register(netuid);
            client1.addStake(netuid, account.address(), VALIDATOR_STAKE.multiply(BigInteger.valueOf(options.validators() - i)));
            validatorAccounts.add(account);
            validatorChains.add(client1);
        }
        owner.updateValidatorPermits(netuid);

        OnnxEmbeddingModel model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults());
        resources.add(model);
        vertx = Vertx.vertx();
        DemoMiners.Knowledge knowledge = DemoMiners.Knowledge.load(model);
        for (int i = 0; i < DemoMiners.LINEUP.size(); i++) {
            DevAccount account = chain.devAccount(1 + options.validators() + i);
            SubnetChain minerChain = Web3jSubnetChain.local(chain.rpcUrl(), contract, account.credentials(), client);
            resources.add(minerChain);
            minerChain.register(netuid);
            miners.add(DemoMiners.start(vertx, DemoMiners.LINEUP.get(i), account, minerChain, netuid, knowledge, miners,
                    new Random(1000L + i), minerTimeout()));
        }
        for (DemoMiners.Running miner : miners) {
            miner.chain().serveAxon(netuid, "127.0.0.1", miner.server().port());
        }
        for (DemoMiners.Running miner : miners) {
            await(miner.server().refreshMetagraph());
        }
        progress.println("registered " + options.validators() + " validators and " + miners.size() + " miners; miners serve on loopback");
        writeTruth(owner.metagraph(netuid));

        RoundScorer scorer = new RoundScorer(model, new ConsensusScorer(ScoringOptions.from(
                validatorConfig(0).scoring(), minerTimeout())));
        for (int i = 0; i < validatorAccounts.size(); i++) {
            DevAccount account = validatorAccounts.get(i);
            ValidatorConfig config = validatorConfig(i);
            HttpMinerClient minerClient = new HttpMinerClient(vertx, Hotkey.fromPrivateKey(account.privateKey()),
                    HttpMinerClientOptions.from(config.rounds()));
            ValidatorService.Parts parts = new ValidatorService.Parts(validatorChains.get(i), minerClient, scorer,
                    DemoMiners.querySource(new Random(7L + i)), new Random(11L + i));
            Future<ValidatorService> starting = ValidatorService.start(vertx, config, parts, "", router -> { },
                    Map.of(ORGANIC_KEY_ENV, organicKey));
            validatorStarts.add(starting);
            validators.add(await(starting));
        }
        nextEpochBlock = chain.blockNumber() + options.tempo();
        progress.println("validators running; dashboards: " + String.join(", ", dashboards()));
    }

    /** So that replaying the demo's round logs judges its miners by what they are, as a scenario's replay does. */
    private void writeTruth(Metagraph metagraph) throws IOException {
        List<MinerTruth> truth = new ArrayList<>();
        for (DemoMiners.Running miner : miners) {
            int uid = metagraph.byHotkey(miner.hotkey()).orElseThrow().uid();
            truth.add(new MinerTruth(uid, miner.kind().minerClass(), miner.kind().quality()));
        }
        truth.sort(Comparator.comparingInt(MinerTruth::uid));
        Files.createDirectories(options.stateDir());
        Files.writeString(options.stateDir().resolve(TRUTH_FILE),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(truth) + "\n");
    }

    private ValidatorConfig validatorConfig(int index) throws IOException {
        Path dir = options.stateDir().resolve(VALIDATOR_FOLDER + index);
        Files.createDirectories(dir);
        Map<String, String> set = new HashMap<>();
        set.put("chain.rpc_url", chain.rpcUrl());
        set.put("chain.contract_address", contract);
        set.put("chain.netuid", Integer.toString(netuid));
        set.put("chain.metagraph_refresh", options.blockMillis() * 2 + "ms");
        set.put("rounds.period", options.roundPeriod().toMillis() + "ms");
        set.put("rounds.round_deadline", options.roundPeriod().toMillis() * 4 / 5 + "ms");
        set.put("rounds.miner_timeout", minerTimeout().toMillis() + "ms");
        // The demo's miners serve on loopback, which a validator asks only when told the chain is a local one.
        set.put("rounds.allow_private_axons", "true");
        // The demo's honest miners share one corpus, so their answers are close paraphrases: only exact copies
        // count as duplicates here. A short demo also lets new rewards weigh more in the moving average.
        set.put("scoring.duplicate_threshold", "0.995");
        set.put("scoring.moving_average_alpha", "0.3");
        set.put("admin.port", "0");
        if (index == 0) {
            set.put("organic.enabled", "true");
            set.put("organic.port", "0");
            set.put("organic.api_key_envs", ORGANIC_KEY_ENV);
        }
        set.put("state.dir", dir.toString());
        ValidatorConfig config = ConfigLoader.load(ValidatorConfig.defaults(), Optional.empty(), Map.of(), set);
        // Written beside the round log, so a replay can score with exactly these settings (chorus-bench replay --config).
        Files.writeString(dir.resolve(SETTINGS_FILE), ConfigPrinter.yaml(config));
        return config;
    }

    private Duration minerTimeout() {
        return options.roundPeriod().multipliedBy(3).dividedBy(5);
    }

    /**
     * Mines blocks at the demo's pace and runs the chain's epoch whenever one is due, counting epochs from the
     * moment every validator has weights on chain (before that an epoch has nothing to pay for).
     */
    private void runEpochs() throws Exception {
        long patience = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!warmedUp()) {
            if (System.nanoTime() > patience) {
                throw new IllegalStateException("the validators set no weights within 120 s; see the log above");
            }
            Thread.sleep(options.blockMillis());
            chain.mine(1);
        }
        progress.println("validators have scored " + WARM_UP_ROUNDS + " rounds and set weights; running " + options.tempos() + " epochs");
        nextEpochBlock = chain.blockNumber() + options.tempo();
        while (epochs < options.tempos()) {
            Thread.sleep(options.blockMillis());
            chain.mine(1);
            if (chain.blockNumber() >= nextEpochBlock) {
                owner.runEpoch(netuid);
                epochs++;
                nextEpochBlock = chain.blockNumber() + options.tempo();
                progress.println("epoch " + epochs + " of " + options.tempos() + " paid at block " + chain.blockNumber());
            }
        }
    }

    /** Whether every validator has scored the warm-up rounds and has weights on chain. */
    private boolean warmedUp() throws Exception {
        for (ValidatorService validator : validators) {
            if (validator.roundsDone() < WARM_UP_ROUNDS || await(validator.status()).get("last_weights") == null) {
                return false;
            }
        }
        return true;
    }

    /** How to ask the first validator's organic API by hand while the network is up. */
    public String organicExample() {
        return "export " + ORGANIC_KEY_ENV + "=" + organicKey + "\n" + validators.get(0).organicExampleCurl();
    }

    public List<String> dashboards() {
        return validators.stream().map(v -> "http://127.0.0.1:" + v.adminPort() + "/").toList();
    }

    /** Reads what the chain and the validators' round logs say now. */
    public DemoReport report() throws IOException {
        Metagraph metagraph = owner.metagraph(netuid);
        List<WeightRow> rows = new ArrayList<>();
        List<DemoReport.ValidatorRow> validatorRows = new ArrayList<>();
        Map<Integer, double[]> rewardSums = new HashMap<>();
        for (int i = 0; i < validators.size(); i++) {
            ValidatorService service = validators.get(i);
            Neuron self = metagraph.byHotkey(service.hotkey()).orElseThrow();
            rows.add(owner.weights(netuid, self.uid()));
            RoundLog.Read log = RoundLog.read(options.stateDir().resolve(VALIDATOR_FOLDER + i).resolve(RoundLog.FILE_NAME));
            for (RoundRecord round : log.rounds()) {
                for (RoundRecord.MinerRecord m : round.miners()) {
                    double[] sum = rewardSums.computeIfAbsent(m.uid(), u -> new double[2]);
                    sum[0] += m.reward();
                    sum[1]++;
                }
            }
            validatorRows.add(new DemoReport.ValidatorRow(self.uid(), service.hotkey(), log.rounds().size(),
                    (long) service.metrics().registry().counter("chorus_validator_weights_submissions", "outcome", "confirmed").count(),
                    "http://127.0.0.1:" + service.adminPort() + "/"));
        }
        List<DemoReport.MinerRow> minerRows = new ArrayList<>();
        for (DemoMiners.Running miner : miners) {
            Neuron n = metagraph.byHotkey(miner.hotkey()).orElseThrow();
            List<Double> weights = new ArrayList<>();
            for (WeightRow row : rows) {
                int total = row.values().stream().mapToInt(Integer::intValue).sum();
                weights.add(total == 0 ? 0.0 : row.weightOn(n.uid()) / (double) total);
            }
            double[] sum = rewardSums.getOrDefault(n.uid(), new double[2]);
            minerRows.add(new DemoReport.MinerRow(n.uid(), n.hotkey(), miner.kind().label(), miner.kind().honest(),
                    preview(miner.lastAnswer()), sum[1] == 0 ? 0 : sum[0] / sum[1],
                    validators.get(0).score(n.uid()),
                    weights, n.consensus() / 65535.0, n.incentive() / 65535.0,
                    owner.emissionBalance(n.hotkey()).longValueExact()));
        }
        return new DemoReport(netuid, chain.rpcUrl(), contract, epochs, validatorRows, minerRows);
    }

    private static String preview(String answer) {
        if (answer == null) {
            return "";
        }
        String flat = answer.replace('\n', ' ');
        return flat.length() <= 48 ? flat : flat.substring(0, 47) + "…";
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /**
     * As {@link #await}, but an interrupt does not end the wait: a stop interrupts the thread that runs the demo, and
     * may do so while it closes, where a wait cut short would close Vert.x under a validator's final save.
     */
    private <T> T awaitWhileClosing(Future<T> future) throws Exception {
        CompletableFuture<T> done = future.toCompletionStage().toCompletableFuture();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interruptedWhileClosing = true;
            }
        }
    }

    /** Stops everything, each wait to its end even when interrupted; the interrupt is then set again for the caller. */
    @Override
    public void close() {
        interruptedWhileClosing = Thread.interrupted();
        for (Future<ValidatorService> starting : validatorStarts) {
            ValidatorService service;
            try {
                service = awaitWhileClosing(starting);
            } catch (Exception notStarted) {
                continue; // the start's failure is the run's, reported where it was awaited
            }
            try {
                awaitWhileClosing(service.stop());
            } catch (Exception e) {
                progress.println("validator did not stop cleanly: " + e);
            }
        }
        for (DemoMiners.Running miner : miners) {
            try {
                awaitWhileClosing(miner.server().close());
            } catch (Exception e) {
                progress.println("miner did not stop cleanly: " + e);
            }
        }
        if (vertx != null) {
            try {
                awaitWhileClosing(vertx.close());
            } catch (Exception e) {
                progress.println("Vert.x did not stop cleanly: " + e);
            }
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                progress.println("could not close " + resources.get(i) + ": " + e);
            }
        }
        if (interruptedWhileClosing) {
            Thread.currentThread().interrupt();
        }
    }
}
