package dev.chorus.validator.testing;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.local.DevAccount;
import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.local.LocalChainOptions;
import dev.chorus.chain.web3j.ClientOptions;
import dev.chorus.chain.web3j.Web3jSubnetChain;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.ValidatorConfig;
import dev.chorus.config.MinerServerSettings;
import dev.chorus.miner.client.HttpMinerClient;
import dev.chorus.miner.client.HttpMinerClientOptions;
import dev.chorus.miner.protocol.Hotkey;
import dev.chorus.miner.server.Miner;
import dev.chorus.miner.server.MinerServer;
import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.RoundScorer;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingModel;
import dev.chorus.validator.QuerySource;
import dev.chorus.validator.ValidatorService;
import dev.chorus.validator.state.StateFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real subnet for validator tests: Anvil, the Subnet contract, one staked validator key with a permit, and
 * miners served by the real {@link MinerServer} on loopback, each answering with the given {@link Miner}.
 */
public final class TestSubnet implements AutoCloseable {

    public final LocalChain chain;
    public final Vertx vertx;
    public final String contract;
    public final int netuid;
    public final DevAccount validator;
    public final SubnetChain owner;
    public final List<MinerServer> miners = new ArrayList<>();
    public final List<DevAccount> minerAccounts = new ArrayList<>();
    private final List<SubnetChain> clients = new ArrayList<>();

    private TestSubnet(int tempo, List<Miner> answerers) throws Exception {
        try {
            chain = LocalChain.start(LocalChainOptions.defaults().withAccounts(2 + answerers.size()));
            vertx = Vertx.vertx();
            ClientOptions options = ClientOptions.localChain(chain.chainId());
            contract = Web3jSubnetChain.deploy(chain.rpcUrl(), chain.devAccount(0).credentials(), options);
            owner = Web3jSubnetChain.local(chain.rpcUrl(), contract, chain.devAccount(0).credentials(), options);
            netuid = owner.createSubnet(Hyperparameters.localDevelopment(tempo).with("minAllowedWeights", "1"));
            validator = chain.devAccount(1);
            SubnetChain validatorChain = client(validator, options);
            validatorChain.register(netuid);
            validatorChain.addStake(netuid, validator.address(), BigInteger.TEN.pow(12));
            owner.updateValidatorPermits(netuid);
            for (int i = 0; i < answerers.size(); i++) {
                DevAccount account = chain.devAccount(2 + i);
                SubnetChain minerChain = client(account, options);
                minerChain.register(netuid);
                MinerServerSettings serverSettings = MinerServerSettings.defaults().onLoopback(100);
                MinerServer server = await(MinerServer.builder().vertx(vertx).hotkey(Hotkey.fromPrivateKey(account.privateKey()))
                        .netuid(netuid).metagraph(() -> minerChain.metagraph(netuid)).options(serverSettings)
                        .metagraphRefresh(Duration.ofSeconds(1))
                        .miner(answerers.get(i)).start());
                miners.add(server);
                minerChain.serveAxon(netuid, "127.0.0.1", server.port());
                minerAccounts.add(account);
            }
            for (MinerServer server : miners) {
                await(server.refreshMetagraph());
            }
        } catch (Throwable failure) {
            // What was started before the failure would outlive the test, and a later test's check that no process
            // is left behind would fail for it.
            try {
                close();
            } catch (Exception cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
    }

    public static TestSubnet start(int tempo, List<Miner> answerers) throws Exception {
        return new TestSubnet(tempo, answerers);
    }

    public SubnetChain client(DevAccount account) {
        return client(account, ClientOptions.localChain(chain.chainId()));
    }

    private SubnetChain client(DevAccount account, ClientOptions options) {
        SubnetChain client = Web3jSubnetChain.local(chain.rpcUrl(), contract, account.credentials(), options);
        clients.add(client);
        return client;
    }

    /** Validator settings for this subnet with fast rounds; {@code extra} overrides by dotted path. */
    public ValidatorConfig validatorConfig(Path stateDir, Map<String, String> extra) {
        Map<String, String> set = new HashMap<>();
        set.put("chain.rpc_url", chain.rpcUrl());
        set.put("chain.contract_address", contract);
        set.put("chain.netuid", Integer.toString(netuid));
        set.put("chain.metagraph_refresh", "300ms");
        set.put("rounds.period", "1000ms");
        set.put("rounds.round_deadline", "900ms");
        set.put("rounds.miner_timeout", "700ms");
        // The miners serve on 127.0.0.1, which a validator refuses to ask unless told it is on a local chain.
        set.put("rounds.allow_private_axons", "true");
        set.put("admin.port", "0");
        set.put("state.dir", stateDir.toString());
        set.putAll(extra);
        return ConfigLoader.load(ValidatorConfig.defaults(), Optional.empty(), Map.of(), set);
    }

    /** What the validator runs on here: {@code validatorChain} as its chain client, the real miner client and scorer. */
    public ValidatorService.Parts validatorParts(ValidatorConfig config, SubnetChain validatorChain, EmbeddingModel model,
                                                 QuerySource queries) {
        return new ValidatorService.Parts(validatorChain,
                new HttpMinerClient(vertx, Hotkey.fromPrivateKey(validator.privateKey()), HttpMinerClientOptions.defaults()),
                new RoundScorer(model, new ConsensusScorer(ScoringOptions.from(config.scoring(), config.rounds().minerTimeout()))),
                queries, new java.util.Random(1));
    }

    /**
     * The contract's logs of {@code event} (its Solidity signature, e.g. {@code WeightsSet(uint16,uint16)}) on the
     * canonical chain, read from Anvil itself, whose leading indexed arguments equal {@code indexed}.
     */
    public List<EthLog.LogResult> events(String event, BigInteger... indexed) throws IOException {
        Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
        try {
            EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, contract);
            filter.addSingleTopic(Hash.sha3String(event));
            for (BigInteger argument : indexed) {
                filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(argument, 64));
            }
            return web3j.ethGetLogs(filter).send().getLogs();
        } finally {
            web3j.shutdown();
        }
    }

    /** WeightsSet events of {@code uid} on this subnet. */
    public long weightsSetEvents(int uid) throws IOException {
        return events("WeightsSet(uint16,uint16)", BigInteger.valueOf(netuid), BigInteger.valueOf(uid)).size();
    }

    /** Transactions {@code address} has had mined (its nonce at the latest block). */
    public long transactionsSentBy(String address) throws IOException {
        Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
        try {
            return web3j.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST).send()
                    .getTransactionCount().longValueExact();
        } finally {
            web3j.shutdown();
        }
    }

    /**
     * A validator process as an operator starts it ({@code chorus validator --config}), signing with this subnet's
     * validator key; its output goes to {@code log}.
     */
    public Process launchValidator(Path configFile, Path log) throws IOException {
        return launchValidator(configFile, log, Path.of(System.getProperty("java.io.tmpdir")),
                Path.of(System.getProperty("user.home"), ".cache"));
    }

    /** As {@link #launchValidator(Path, Path)}, with the process's temporary folder and XDG cache folder given. */
    public Process launchValidator(Path configFile, Path log, Path tmpDir, Path cacheHome) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmpDir, "-cp", System.getProperty("java.class.path"), "dev.chorus.cli.ChorusCommand",
                "validator", "--config", configFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("CHORUS_PRIVATE_KEY", validator.privateKey());
        builder.environment().put("XDG_CACHE_HOME", cacheHome.toString());
        return builder.start();
    }

    /**
     * Puts a folder where the state file's temporary copy goes, so that no save can get past it, even as root; returns
     * that path. A save in progress holds the name as a file for a moment, so the folder is tried again until it fits.
     */
    public static Path blockStateSaves(Path stateDir) throws Exception {
        Path blocker = stateDir.resolve(StateFile.FILE_NAME + ".tmp");
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                Files.createDirectories(blocker.resolve("in-the-way"));
                return blocker;
            } catch (FileSystemException savingNow) {
                if (System.nanoTime() > until) {
                    throw savingNow;
                }
                Thread.sleep(5);
            }
        }
    }

    /**
     * Removes what {@link #blockStateSaves} put in the way, if a test's failure left it there. Safe while the validator
     * runs: a save can take the name only once the folder is gone, and then holds it as a file, which is left to it.
     */
    public static void unblockStateSaves(Path stateDir) throws IOException {
        Path blocker = stateDir.resolve(StateFile.FILE_NAME + ".tmp");
        if (Files.isDirectory(blocker, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(blocker.resolve("in-the-way"));
            Files.delete(blocker);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** One round outside the schedule, to its end. */
    public static void runRound(ValidatorService service) throws Exception {
        service.runRound().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** The first round once the service has synced with the chain (a round asked for before that is refused). */
    public static void runRoundOnceSynced(ValidatorService service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                runRound(service);
                return;
            } catch (java.util.concurrent.ExecutionException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no round within 30 s of the start", notYet.getCause());
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Closes everything, each step even when one before it failed, so one stuck miner server does not leave Anvil
     * running. Also called by a constructor that failed part way, where the fields not yet set are null.
     */
    @Override
    public void close() throws Exception {
        List<AutoCloseable> steps = new ArrayList<>();
        miners.forEach(server -> steps.add(() -> await(server.close())));
        if (vertx != null) {
            steps.add(() -> await(vertx.close()));
        }
        steps.addAll(clients);
        if (owner != null) {
            steps.add(owner);
        }
        if (chain != null) {
            steps.add(chain);
        }
        Exception failed = null;
        for (AutoCloseable step : steps) {
            try {
                step.close();
            } catch (Exception e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
