package dev.chorus.chain.web3j;

import dev.chorus.chain.AxonInfo;
import dev.chorus.chain.ChainException;
import dev.chorus.chain.ChainReceipt;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.PendingCommit;
import dev.chorus.chain.SubnetChain;
import dev.chorus.chain.SubnetInfo;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.WeightRow;
import dev.chorus.chain.WeightVector;
import dev.chorus.chain.WeightsRejected;
import dev.chorus.chain.yuma.SparseRow;
import dev.chorus.chain.yuma.YumaInput;
import dev.chorus.config.IpLiteral;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Int16;
import org.web3j.abi.datatypes.generated.Uint128;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.admin.Admin;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * {@link SubnetChain} over web3j: one {@link Web3j} (one HTTP client) per instance, one signer, ABI
 * encoded by hand. The {@link ChainFlavour} decides whether it talks to the Chorus contract or to
 * Bittensor's precompiles.
 */
public final class Web3jSubnetChain implements SubnetChain {

    private static final String METAGRAPH = "getMetagraph(uint16)";
    static final String HYPERPARAMETERS_TUPLE = "(" + String.join(",", Hyperparameters.abiTypes()) + ")";
    /** The events whose logs the client decodes, as the contract's ABI declares them. */
    static final String SUBNET_CREATED_EVENT = "SubnetCreated(uint16,address,uint64)";
    static final String NEURON_REGISTERED_EVENT = "NeuronRegistered(uint16,uint16,address,address,address)";
    private static final String SUBNET_CREATED = Hash.sha3String(SUBNET_CREATED_EVENT);
    private static final String NEURON_REGISTERED = Hash.sha3String(NEURON_REGISTERED_EVENT);
    /** Words per NeuronInfo in getMetagraph's return data: 4 scalars, a 6-word axon, 9 scalars. */
    private static final int NEURON_WORDS = 19;

    private final Web3j web3j;
    private final ChainFlavour flavour;
    private final TransactionSender sender;
    private final RetryingRpc rpc;
    private final long chainId;
    /** The emission token's address, read once: the Subnet contract fixes it when it is deployed. */
    private volatile String emissionToken;

    private Web3jSubnetChain(Web3j web3j, ChainFlavour flavour, TransactionSender sender, RetryingRpc rpc, long chainId) {
        this.web3j = web3j;
        this.flavour = flavour;
        this.sender = sender;
        this.rpc = rpc;
        this.chainId = chainId;
    }

    /**
     * Connects to {@code rpcUrl} and checks the node's chain id (against {@code options.expectedChainId()})
     * and, for the local flavour, that the contract is deployed.
     */
    public static Web3jSubnetChain connect(String rpcUrl, ChainFlavour flavour, Credentials credentials, ClientOptions options) {
        Admin web3j = open(rpcUrl, options);
        RetryingRpc rpc = new RetryingRpc(options);
        try {
            long chainId = checkedChainId(web3j, rpc, rpcUrl, options);
            if (flavour instanceof ChainFlavour.Local local) {
                String code = rpc.send("eth_getCode", web3j.ethGetCode(local.contract(), DefaultBlockParameterName.LATEST)).getCode();
                if (code == null || code.equals("0x")) {
                    throw new ChainException("no contract at " + local.contract() + " on "
                            + dev.chorus.config.RedactedUrl.of(rpcUrl) + "; deploy one first (chorus chain up, or Web3jSubnetChain.deploy)");
                }
                // The dispatcher of a Subnet contract holds each function's selector; another contract, such as the
                // emission token whose address sits beside it in the logs, would only fail later with an unknown revert.
                if (!code.contains(Calldata.selector(METAGRAPH).substring(2))) {
                    throw new ChainException("the contract at " + local.contract() + " on " + dev.chorus.config.RedactedUrl.of(rpcUrl)
                            + " is not a Chorus Subnet contract; give the Subnet contract's address (chorus chain up prints it)");
                }
            }
            RevertDecoder decoder = new RevertDecoder(flavour instanceof ChainFlavour.Local ? ContractArtifact.subnet().abi() : null);
            return new Web3jSubnetChain(web3j, flavour, new TransactionSender(web3j, credentials, chainId, options, decoder), rpc, chainId);
        } catch (RuntimeException e) {
            web3j.shutdown();
            throw e;
        }
    }

    /**
     * A client for reads only: it signs with a throw-away key that holds no funds, so any write it
     * attempts fails for lack of gas money.
     */
    public static Web3jSubnetChain readOnly(String rpcUrl, ChainFlavour flavour, ClientOptions options) {
        try {
            return connect(rpcUrl, flavour, Credentials.create(org.web3j.crypto.Keys.createEcKeyPair()), options);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("secp256k1 key generation is always available", e);
        }
    }

    /** Connects to a deployed Chorus Subnet contract. */
    public static Web3jSubnetChain local(String rpcUrl, String contract, Credentials credentials, ClientOptions options) {
        return connect(rpcUrl, new ChainFlavour.Local(contract), credentials, options);
    }

    /**
     * Deploys the Subnet contract (which creates its emission token) and the YumaEpoch contract its epochs run on,
     * signed by {@code deployer}, and links them; returns the Subnet contract's address.
     */
    public static String deploy(String rpcUrl, Credentials deployer, ClientOptions options) {
        Admin web3j = open(rpcUrl, options);
        try {
            long chainId = checkedChainId(web3j, new RetryingRpc(options), rpcUrl, options);
            ContractArtifact artifact = ContractArtifact.subnet();
            TransactionSender sender = new TransactionSender(web3j, deployer, chainId, options, new RevertDecoder(artifact.abi()));
            TransactionReceipt receipt = sender.send("deploy Subnet", null, artifact.bytecode(), BigInteger.ZERO);
            String subnet = receipt.getContractAddress();
            String epoch = sender.send("deploy YumaEpoch", null, ContractArtifact.load("YumaEpoch").bytecode(), BigInteger.ZERO)
                    .getContractAddress();
            sender.send("link the YumaEpoch contract", subnet,
                    Calldata.encode("setYumaEpoch(address)", new org.web3j.abi.datatypes.Address(epoch)), BigInteger.ZERO);
            return subnet;
        } finally {
            web3j.shutdown();
        }
    }

    private static Admin open(String rpcUrl, ClientOptions options) {
        long millis = options.httpTimeout().toMillis();
        OkHttpClient http = HttpService.getOkHttpClientBuilder()
                .connectTimeout(millis, TimeUnit.MILLISECONDS)
                .readTimeout(millis, TimeUnit.MILLISECONDS)
                .writeTimeout(millis, TimeUnit.MILLISECONDS)
                .build();
        HttpService service = new HttpService(rpcUrl, http) {
            @Override
            public void close() throws java.io.IOException {
                super.close();
                // OkHttp keeps an idle connection open for five minutes after its last call; a closed client
                // has no more calls to make, so it lets go of its sockets now.
                http.connectionPool().evictAll();
                http.dispatcher().executorService().shutdown();
            }
        };
        return Admin.build(service);
    }

    private static long checkedChainId(Web3j web3j, RetryingRpc rpc, String rpcUrl, ClientOptions options) {
        long reported = rpc.send("eth_chainId", web3j.ethChainId()).getChainId().longValueExact();
        if (options.expectedChainId().isPresent() && options.expectedChainId().getAsLong() != reported) {
            throw new ChainException("the node at " + dev.chorus.config.RedactedUrl.of(rpcUrl) + " reports chain id "
                    + reported + " but chain id " + options.expectedChainId().getAsLong() + " is configured; check the RPC URL");
        }
        return reported;
    }

    public long chainId() {
        return chainId;
    }

    @Override
    public String signer() {
        return sender.from().toLowerCase(Locale.ROOT);
    }

    // ---- reads ------------------------------------------------------------------------------------

    @Override
    public long blockNumber() {
        return rpc.send("eth_blockNumber", web3j.ethBlockNumber()).getBlockNumber().longValueExact();
    }

    @Override
    public TransactionFate transactionFate(String txHash) {
        if (rpc.send("eth_getTransactionReceipt", web3j.ethGetTransactionReceipt(txHash)).getTransactionReceipt().isPresent()) {
            return TransactionFate.MINED;
        }
        boolean known = rpc.send("eth_getTransactionByHash", web3j.ethGetTransactionByHash(txHash)).getTransaction().isPresent();
        return known ? TransactionFate.POOLED : TransactionFate.UNKNOWN;
    }

    /**
     * The signer's oldest transaction that the node holds unmined and can still mine, e.g. one whose receipt an earlier
     * process stopped waiting for: described by hash and nonce ("0x… (nonce 4)"), or by nonce where the node does not
     * list its pool. A transaction sent now would queue behind it and both would land. Empty when there is none, or when
     * the next transaction takes its place instead (this client's own left unmined, or one whose fee cap is below the
     * next base fee).
     */
    public Optional<String> transactionAhead() {
        return sender.transactionAhead();
    }

    /** The whole metagraph: one eth_call of getMetagraph on the local contract, per-field calls on Bittensor. */
    @Override
    public Metagraph metagraph(int netuid) {
        if (!(flavour instanceof ChainFlavour.Local)) {
            return metagraphByFields(netuid);
        }
        return metagraph(netuid, DefaultBlockParameterName.LATEST);
    }

    private Metagraph metagraph(int netuid, DefaultBlockParameter at) {
        ReturnData data = new ReturnData(view(at, METAGRAPH, new Uint16(netuid)));
        long block = data.uint64(0);
        int start = data.dynamicStart(1);
        int count = data.uint(start).intValueExact();
        List<Neuron> neurons = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int w = start + 1 + i * NEURON_WORDS;
            AxonInfo axon = new AxonInfo(data.uint64(w + 4), data.uint(w + 5).intValue(), data.uint(w + 6),
                    data.uint16(w + 7), data.uint16(w + 8), data.uint16(w + 9));
            neurons.add(new Neuron(data.uint16(w), data.address(w + 1), data.address(w + 2), data.uint(w + 3), axon,
                    data.bool(w + 10), data.bool(w + 11), data.uint64(w + 12), data.uint64(w + 13), data.uint16(w + 14),
                    data.uint16(w + 15), data.uint16(w + 16), data.uint16(w + 17), data.uint(w + 18)));
        }
        return new Metagraph(netuid, block, neurons);
    }

    /**
     * The metagraph assembled from the metagraph precompile's per-field views (2 + 12 calls per uid), all read on
     * the state of one block: the calls span many blocks, in which a uid can be replaced or restaked.
     */
    public Metagraph metagraphByFields(int netuid) {
        long block = blockNumber();
        DefaultBlockParameter state = atBlock(block);
        String at = flavour.metagraphAddress();
        int count = new ReturnData(sender.call("getUidCount", at, Calldata.encode("getUidCount(uint16)", new Uint16(netuid)), state)).uint16(0);
        List<Neuron> neurons = new ArrayList<>(count);
        for (int uid = 0; uid < count; uid++) {
            Uint16 n = new Uint16(netuid);
            Uint16 u = new Uint16(uid);
            ReturnData axonWords = field(state, at, "getAxon", n, u);
            AxonInfo axon = new AxonInfo(axonWords.uint64(0), axonWords.uint(1).intValue(), axonWords.uint(2),
                    axonWords.uint16(3), axonWords.uint16(4), axonWords.uint16(5));
            long registeredAt = flavour instanceof ChainFlavour.Local ? field(state, at, "getBlockAtRegistration", n, u).uint64(0) : 0;
            neurons.add(new Neuron(uid, account(field(state, at, "getHotkey", n, u)), account(field(state, at, "getColdkey", n, u)),
                    field(state, at, "getStake", n, u).uint(0), axon, field(state, at, "getValidatorStatus", n, u).bool(0),
                    field(state, at, "getIsActive", n, u).bool(0), field(state, at, "getLastUpdate", n, u).uint64(0), registeredAt,
                    field(state, at, "getConsensus", n, u).uint16(0), field(state, at, "getIncentive", n, u).uint16(0),
                    field(state, at, "getDividends", n, u).uint16(0), field(state, at, "getVtrust", n, u).uint16(0),
                    field(state, at, "getEmission", n, u).uint(0)));
        }
        return new Metagraph(netuid, block, neurons);
    }

    private ReturnData field(DefaultBlockParameter state, String at, String name, Uint16 netuid, Uint16 uid) {
        return new ReturnData(sender.call(name, at, Calldata.encode(name + "(uint16,uint16)", netuid, uid), state));
    }

    private static DefaultBlockParameter atBlock(long block) {
        return DefaultBlockParameter.valueOf(BigInteger.valueOf(block));
    }

    /** A bytes32 account as the metagraph shows it: an EVM address on the local chain, the full account on Bittensor. */
    private String account(ReturnData word) {
        if (flavour instanceof ChainFlavour.Local) {
            return word.address(0);
        }
        return Numeric.toHexStringWithPrefixZeroPadded(word.uint(0), 64);
    }

    /** The subnet's current epoch index, (block + netuid + 1) / (tempo + 1): what commit-reveal counts in. */
    public long currentEpoch(int netuid) {
        requireLocal("reading the epoch index");
        return new ReturnData(view("currentEpoch(uint16)", new Uint16(netuid))).uint64(0);
    }

    @Override
    public WeightRow weights(int netuid, int uid) {
        requireLocal("reading a weight row");
        ReturnData data = new ReturnData(view("getWeights(uint16,uint16)", new Uint16(netuid), new Uint16(uid)));
        return new WeightRow(netuid, uid, data.uintArray(0), data.uintArray(1));
    }

    /** The bond row the epoch stored for {@code uid}. */
    public WeightRow bonds(int netuid, int uid) {
        requireLocal("reading a bond row");
        ReturnData data = new ReturnData(view("getBonds(uint16,uint16)", new Uint16(netuid), new Uint16(uid)));
        return new WeightRow(netuid, uid, data.uintArray(0), data.uintArray(1));
    }

    /** Every stored weight row of the subnet (index = uid), read in one call. */
    public List<WeightRow> weightMatrix(int netuid) {
        requireLocal("reading the weight matrix");
        return matrix(netuid, "getWeightMatrix(uint16)", DefaultBlockParameterName.LATEST);
    }

    /** Every stored bond row of the subnet (index = uid), read in one call. */
    public List<WeightRow> bondMatrix(int netuid) {
        requireLocal("reading the bond matrix");
        return matrix(netuid, "getBondMatrix(uint16)", DefaultBlockParameterName.LATEST);
    }

    private List<WeightRow> matrix(int netuid, String signature, DefaultBlockParameter at) {
        ReturnData data = new ReturnData(view(at, signature, new Uint16(netuid)));
        List<Integer> rowEnds = data.uintArray(0);
        List<Integer> uids = data.uintArray(1);
        List<Integer> values = data.uintArray(2);
        List<WeightRow> rows = new ArrayList<>(rowEnds.size());
        int start = 0;
        for (int uid = 0; uid < rowEnds.size(); uid++) {
            int end = rowEnds.get(uid);
            rows.add(new WeightRow(netuid, uid, uids.subList(start, end), values.subList(start, end)));
            start = end;
        }
        return rows;
    }

    @Override
    public SubnetInfo subnetInfo(int netuid) {
        requireLocal("reading subnet info");
        return subnetInfo(netuid, DefaultBlockParameterName.LATEST);
    }

    private SubnetInfo subnetInfo(int netuid, DefaultBlockParameter at) {
        ReturnData data = new ReturnData(view(at, "getSubnetInfo(uint16)", new Uint16(netuid)));
        return new SubnetInfo(netuid, data.address(0), data.uint16(1), data.uint64(2), data.uint64(3), data.uint64(4),
                data.bool(5) ? OptionalInt.of(data.uint16(6)) : OptionalInt.empty());
    }

    /**
     * The subnet's state as the Yuma epoch reads it, for an epoch run at {@code epochBlock} on the state after the
     * latest block: stake, permits, last updates, registration blocks, pending commits (under commit-reveal, with the
     * commits that have expired by {@code epochBlock} left out), weight and bond rows, and the hyperparameters. A
     * {@code runEpoch} sent next runs in the block after the latest.
     */
    public YumaInput yumaInput(int netuid, long epochBlock) {
        return yumaInput(netuid, epochBlock, blockNumber());
    }

    /**
     * {@link #yumaInput(int, long)} on the state after {@code stateBlock}: every view is read at that one block, so
     * a block mined while they are read cannot mix two states.
     */
    public YumaInput yumaInput(int netuid, long epochBlock, long stateBlock) {
        requireLocal("reading the epoch's input");
        DefaultBlockParameter at = atBlock(stateBlock);
        Metagraph metagraph = metagraph(netuid, at);
        Hyperparameters h = hyperparameters(netuid, at);
        SubnetInfo info = subnetInfo(netuid, at);
        int n = metagraph.size();
        long[] stake = new long[n];
        boolean[] permits = new boolean[n];
        long[] lastUpdate = new long[n];
        long[] registeredAt = new long[n];
        long[] commitBlock = YumaInput.noCommits(n);
        long epochIndex = h.epochIndexAt(netuid, epochBlock);
        for (Neuron neuron : metagraph.neurons()) {
            stake[neuron.uid()] = neuron.stake().longValueExact();
            permits[neuron.uid()] = neuron.validatorPermit();
            lastUpdate[neuron.uid()] = neuron.lastUpdate();
            registeredAt[neuron.uid()] = neuron.registeredAt();
            if (h.commitRevealEnabled()) {
                commitBlock[neuron.uid()] = oldestLiveCommitBlock(pendingCommits(netuid, neuron.hotkey(), at), epochIndex,
                        h.revealPeriod());
            }
        }
        return new YumaInput(n, epochBlock, h.tempo(), h.activityCutoff(), info.lastEpochBlock(), h.emissionPerEpoch(),
                h.kappa(), h.bondsPenalty(), h.bondsMovingAverage(), h.maxAllowedValidators(), h.stakeThreshold(), info.ownerUid(),
                h.yuma3(), h.liquidAlpha(), h.alphaLow(), h.alphaHigh(), h.alphaSigmoidSteepness(), stake, permits, lastUpdate,
                registeredAt, commitBlock, sparse(matrix(netuid, "getWeightMatrix(uint16)", at)),
                sparse(matrix(netuid, "getBondMatrix(uint16)", at)));
    }

    /** The block of the first commit not yet expired in epoch {@code epochIndex} (the epoch's commit mask), if any. */
    private static long oldestLiveCommitBlock(List<PendingCommit> commits, long epochIndex, long revealPeriod) {
        for (PendingCommit commit : commits) {
            if (epochIndex <= commit.epoch() + revealPeriod) {
                return commit.block();
            }
        }
        return YumaInput.NO_COMMIT;
    }

    private static List<SparseRow> sparse(List<WeightRow> rows) {
        List<SparseRow> out = new ArrayList<>(rows.size());
        for (WeightRow row : rows) {
            out.add(new SparseRow(row.uids().stream().mapToInt(Integer::intValue).toArray(),
                    row.values().stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    @Override
    public Hyperparameters hyperparameters(int netuid) {
        requireLocal("reading hyperparameters");
        return hyperparameters(netuid, DefaultBlockParameterName.LATEST);
    }

    private Hyperparameters hyperparameters(int netuid, DefaultBlockParameter at) {
        return decodeHyperparameters(new ReturnData(view(at, "getHyperparameters(uint16)", new Uint16(netuid))));
    }

    private static Hyperparameters decodeHyperparameters(ReturnData data) {
        List<String> types = Hyperparameters.abiTypes();
        Object[] values = new Object[types.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (types.get(i)) {
                case "bool" -> data.bool(i);
                case "uint16" -> data.uint16(i);
                case "int16" -> data.signed(i).intValueExact();
                default -> data.uint64HeldToLong(i);
            };
        }
        try {
            Class<?>[] parameterTypes = java.util.Arrays.stream(Hyperparameters.class.getRecordComponents())
                    .map(java.lang.reflect.RecordComponent::getType).toArray(Class<?>[]::new);
            return Hyperparameters.class.getDeclaredConstructor(parameterTypes).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new ChainException("the chain returned hyperparameters this client cannot represent: " + e.getCause(), e);
        }
    }

    @Override
    public OptionalInt uidOf(int netuid, String hotkey) {
        if (flavour instanceof ChainFlavour.Local) {
            try {
                return OptionalInt.of(new ReturnData(view("uidOf(uint16,address)", new Uint16(netuid),
                        new org.web3j.abi.datatypes.Address(hotkey))).uint16(0));
            } catch (TransactionRejected notRegistered) {
                if (notRegistered.errorName().equals("HotKeyNotRegisteredInSubNet")) {
                    return OptionalInt.empty();
                }
                throw notRegistered;
            }
        }
        String wanted = Numeric.toHexString(flavour.account(hotkey));
        String at = flavour.metagraphAddress();
        int count = new ReturnData(sender.call("getUidCount", at, Calldata.encode("getUidCount(uint16)", new Uint16(netuid)))).uint16(0);
        for (int uid = 0; uid < count; uid++) {
            if (account(field(DefaultBlockParameterName.LATEST, at, "getHotkey", new Uint16(netuid), new Uint16(uid))).equalsIgnoreCase(wanted)) {
                return OptionalInt.of(uid);
            }
        }
        return OptionalInt.empty();
    }

    // ---- weights ----------------------------------------------------------------------------------

    @Override
    public ChainReceipt setWeights(int netuid, WeightVector weights, long versionKey) {
        return setWeights(netuid, weights.uids(), weights.values(), versionKey);
    }

    /** setWeights exactly as given, without the local checks {@link WeightVector} makes (the chain checks everything). */
    public ChainReceipt setWeights(int netuid, List<Integer> uids, List<Integer> values, long versionKey) {
        String data = Calldata.encode("setWeights(uint16,uint16[],uint16[],uint64)", new Uint16(netuid),
                ChainFlavour.uint16Array(uids), ChainFlavour.uint16Array(values), new Uint64(versionKey));
        return weightsTransaction("setWeights on netuid " + netuid, data);
    }

    @Override
    public ChainReceipt commitWeights(int netuid, byte[] commitHash) {
        String data = Calldata.encode("commitWeights(uint16,bytes32)", new Uint16(netuid), new Bytes32(commitHash));
        return weightsTransaction("commitWeights on netuid " + netuid, data);
    }

    @Override
    public ChainReceipt revealWeights(int netuid, WeightVector weights, List<Integer> salt, long versionKey) {
        String data = Calldata.encode("revealWeights(uint16,uint16[],uint16[],uint16[],uint64)", new Uint16(netuid),
                ChainFlavour.uint16Array(weights.uids()), ChainFlavour.uint16Array(weights.values()),
                ChainFlavour.uint16Array(salt), new Uint64(versionKey));
        return weightsTransaction("revealWeights on netuid " + netuid, data);
    }

    /** The hotkey's commits not yet revealed, oldest first (expired ones included until a commit or reveal drops them). */
    @Override
    public List<PendingCommit> pendingCommits(int netuid, String hotkey) {
        requireLocal("reading pending commits");
        return pendingCommits(netuid, hotkey, DefaultBlockParameterName.LATEST);
    }

    private List<PendingCommit> pendingCommits(int netuid, String hotkey, DefaultBlockParameter at) {
        ReturnData data = new ReturnData(view(at, "getCommits(uint16,address)", new Uint16(netuid),
                new org.web3j.abi.datatypes.Address(hotkey)));
        int start = data.dynamicStart(0);
        int count = data.uint(start).intValueExact();
        List<PendingCommit> commits = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int w = start + 1 + i * 3;
            commits.add(new PendingCommit(Numeric.toHexStringWithPrefixZeroPadded(data.uint(w), 64), data.uint64(w + 1), data.uint64(w + 2)));
        }
        return commits;
    }

    @Override
    public byte[] commitHash(int netuid, WeightVector weights, List<Integer> salt, long versionKey) {
        return flavour.commitHash(signer(), netuid, weights.uids(), weights.values(), salt, versionKey);
    }

    private ChainReceipt weightsTransaction(String action, String data) {
        try {
            return TransactionSender.summary(sender.send(action, flavour.neuronAddress(), data, BigInteger.ZERO));
        } catch (WeightsRejected e) {
            throw e;
        } catch (TransactionRejected e) {
            String text = e.errorName() + " " + e.arguments();
            throw new WeightsRejected(WeightsRejected.Reason.of(e.errorName(), text), e);
        }
    }

    // ---- neurons ----------------------------------------------------------------------------------

    @Override
    public int register(int netuid) {
        BigInteger value = BigInteger.ZERO;
        if (flavour instanceof ChainFlavour.Local) {
            try {
                value = BigInteger.valueOf(hyperparameters(netuid).burn()).multiply(ChainFlavour.Local.WEI_PER_RAO);
            } catch (TransactionRejected noSuchSubnet) {
                // Leave the burn at 0: the registration itself then fails with the chain's reason.
            }
        }
        String data = Calldata.encode("burnedRegister(uint16,bytes32)", new Uint16(netuid), new Bytes32(flavour.account(signer())));
        TransactionReceipt receipt = sender.send("burnedRegister on netuid " + netuid, flavour.neuronAddress(), data, value);
        for (Log log : receipt.getLogs()) {
            if (!log.getTopics().isEmpty() && log.getTopics().getFirst().equals(NEURON_REGISTERED)) {
                return new ReturnData(log.getData()).uint16(0);
            }
        }
        return uidOf(netuid, signer()).orElseThrow(() -> new ChainException("registration on netuid " + netuid
                + " succeeded but the hotkey " + signer() + " has no uid"));
    }

    @Override
    public ChainReceipt serveAxon(int netuid, String host, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("axon port must be between 1 and 65535, got " + port);
        }
        String data = Calldata.encode("serveAxon(uint16,uint32,uint128,uint16,uint8,uint8,uint8,uint8)", new Uint16(netuid),
                new Uint32(0), new Uint128(AxonInfo.encodeIp(host)), new Uint16(port), new Uint8(AxonInfo.ipTypeOf(host)),
                new Uint8(4), new Uint8(0), new Uint8(0));
        return transaction("serveAxon " + IpLiteral.withPort(host, port) + " on netuid " + netuid, flavour.neuronAddress(), data, BigInteger.ZERO);
    }

    @Override
    public ChainReceipt addStake(int netuid, String hotkey, BigInteger rao) {
        String data = Calldata.encode("addStake(bytes32,uint256,uint256)", new Bytes32(flavour.account(hotkey)),
                new Uint256(rao), new Uint256(netuid));
        return transaction("addStake " + rao + " rao on " + hotkey, flavour.stakingAddress(), data, flavour.stakeValue(rao));
    }

    @Override
    public ChainReceipt removeStake(int netuid, String hotkey, BigInteger rao) {
        String data = Calldata.encode("removeStake(bytes32,uint256,uint256)", new Bytes32(flavour.account(hotkey)),
                new Uint256(rao), new Uint256(netuid));
        return transaction("removeStake " + rao + " rao from " + hotkey, flavour.stakingAddress(), data, BigInteger.ZERO);
    }

    /** The stake {@code coldkey} has added to {@code hotkey}, in rao: all that it may take back with {@link #removeStake}. */
    public BigInteger stake(int netuid, String hotkey, String coldkey) {
        String data = Calldata.encode("getStake(bytes32,bytes32,uint256)", new Bytes32(flavour.account(hotkey)),
                new Bytes32(flavour.account(coldkey)), new Uint256(netuid));
        return new ReturnData(sender.call("getStake", flavour.stakingAddress(), data)).uint(0);
    }

    /** All stake on {@code hotkey}, in rao, every coldkey's together: what permits and epochs count. */
    public BigInteger totalStake(int netuid, String hotkey) {
        requireLocal("reading a hotkey's stake on one subnet");
        String data = Calldata.encode("getTotalHotkeyStake(bytes32,uint256)", new Bytes32(flavour.account(hotkey)), new Uint256(netuid));
        return new ReturnData(sender.call("getTotalHotkeyStake", flavour.stakingAddress(), data)).uint(0);
    }

    // ---- subnet owner -----------------------------------------------------------------------------

    /** Creates a subnet, paying the network lock cost the contract asks at the moment (it keeps the lock). */
    @Override
    public int createSubnet(Hyperparameters hyperparameters) {
        requireLocal("creating a subnet");
        BigInteger lockRao = networkLockCost();
        BigInteger lockWei = lockRao.multiply(ChainFlavour.Local.WEI_PER_RAO);
        // The action names the lock: a signer that cannot pay is told so in a message built from it.
        String action = "createSubnet, locking the network lock cost of " + lockRao + " rao ("
                + new BigDecimal(lockWei).movePointLeft(18).stripTrailingZeros().toPlainString() + " ether)";
        String data = Calldata.encode("createSubnet(" + HYPERPARAMETERS_TUPLE + ")", encode(hyperparameters));
        TransactionReceipt receipt = sender.send(action, flavour.neuronAddress(), data, lockWei);
        for (Log log : receipt.getLogs()) {
            if (!log.getTopics().isEmpty() && log.getTopics().getFirst().equals(SUBNET_CREATED)) {
                return Numeric.toBigInt(log.getTopics().get(1)).intValueExact();
            }
        }
        throw new ChainException("createSubnet succeeded but emitted no SubnetCreated event (tx " + receipt.getTransactionHash() + ")");
    }

    /** What creating a subnet costs, in rao: subtensor's network lock, which the contract keeps. */
    public BigInteger networkLockCost() {
        requireLocal("reading the network lock cost");
        return new ReturnData(view("networkLockCost()")).uint(0);
    }

    /**
     * Sets what creating a subnet costs from now on, in rao (0 to 2^64 - 1); subnets already created keep the lock they
     * paid. Only the contract's deployer may: anyone else is refused with a message naming it.
     */
    public ChainReceipt setNetworkLockCost(BigInteger rao) {
        requireLocal("setting the network lock cost");
        if (rao.signum() < 0 || rao.bitLength() > 64) {
            throw new IllegalArgumentException("a network lock cost of " + rao + " rao does not fit the contract's uint64:"
                    + " give 0 to " + BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE) + " rao");
        }
        String data = Calldata.encode("setNetworkLockCost(uint64)", new Uint64(rao));
        try {
            return transaction("setNetworkLockCost to " + rao + " rao", flavour.neuronAddress(), data, BigInteger.ZERO);
        } catch (TransactionRejected rejected) {
            if (!rejected.errorName().equals("NotDeployer")) {
                throw rejected;
            }
            throw new ChainException("only the contract's deployer, " + deployer() + ", may set the network lock cost, and"
                    + " this client signs as " + signer() + "; sign with the deployer's key", rejected);
        }
    }

    /** The account that deployed the Subnet contract: the only one that may set the network lock cost. */
    public String deployer() {
        requireLocal("reading the deployer");
        return new ReturnData(view("deployer()")).address(0);
    }

    @Override
    public ChainReceipt setHyperparameters(int netuid, Hyperparameters hyperparameters) {
        requireLocal("setting hyperparameters");
        List<Type> arguments = new ArrayList<>();
        arguments.add(new Uint16(netuid));
        arguments.addAll(encode(hyperparameters));
        String data = Calldata.encode("setHyperparameters(uint16," + HYPERPARAMETERS_TUPLE + ")", arguments);
        return transaction("setHyperparameters on netuid " + netuid, flavour.neuronAddress(), data, BigInteger.ZERO);
    }

    @Override
    public ChainReceipt updateValidatorPermits(int netuid) {
        requireLocal("updating validator permits");
        String data = Calldata.encode("updateValidatorPermits(uint16)", new Uint16(netuid));
        return transaction("updateValidatorPermits on netuid " + netuid, flavour.neuronAddress(), data, BigInteger.ZERO);
    }

    /** A static struct encodes as its fields in a row, so the tuple is passed flattened. */
    static List<Type> encode(Hyperparameters hyperparameters) {
        List<String> types = Hyperparameters.abiTypes();
        List<Object> values = new ArrayList<>(hyperparameters.asMap().values());
        List<Type> encoded = new ArrayList<>(types.size());
        for (int i = 0; i < types.size(); i++) {
            Object value = values.get(i);
            encoded.add(switch (types.get(i)) {
                case "bool" -> new Bool((Boolean) value);
                case "uint16" -> new Uint16((Integer) value);
                case "int16" -> new Int16((Integer) value);
                default -> new Uint64((Long) value);
            });
        }
        return encoded;
    }

    // ---- epoch -------------------------------------------------------------------------------------

    @Override
    public ChainReceipt runEpoch(int netuid) {
        requireLocal("running an epoch");
        String data = Calldata.encode("runEpoch(uint16)", new Uint16(netuid));
        return transaction("runEpoch on netuid " + netuid, flavour.neuronAddress(), data, BigInteger.ZERO);
    }

    @Override
    public BigInteger emissionBalance(String hotkey) {
        requireLocal("reading an emission balance");
        String data = Calldata.encode("balanceOf(address)", new org.web3j.abi.datatypes.Address(hotkey));
        return new ReturnData(sender.call("balanceOf", emissionToken(), data)).uint(0);
    }

    /** The address of the ERC-20 emission token, which the Subnet contract created and alone mints. */
    public String emissionToken() {
        requireLocal("reading the emission token");
        String token = emissionToken;
        if (token == null) {
            token = new ReturnData(view("emissionToken()")).address(0);
            emissionToken = token;
        }
        return token;
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    private ChainReceipt transaction(String action, String to, String data, BigInteger value) {
        return TransactionSender.summary(sender.send(action, to, data, value));
    }

    @SuppressWarnings("rawtypes")
    private String view(String signature, Type... arguments) {
        return view(DefaultBlockParameterName.LATEST, signature, arguments);
    }

    @SuppressWarnings("rawtypes")
    private String view(DefaultBlockParameter at, String signature, Type... arguments) {
        String name = signature.substring(0, signature.indexOf('('));
        return sender.call(name, flavour.metagraphAddress(), Calldata.encode(signature, arguments), at);
    }

    private void requireLocal(String what) {
        if (!(flavour instanceof ChainFlavour.Local)) {
            throw new UnsupportedOperationException(what + " is only possible on the Chorus contract; on Bittensor use btcli");
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
