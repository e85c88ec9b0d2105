package dev.chorus.chain.yuma;

import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.web3j.ContractArtifact;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * The Solidity epoch ({@code YumaEpochRunner} in YumaEpoch.sol) deployed on a local Anvil and run
 * with {@code eth_call}, converting {@link YumaInput} and {@link YumaOutput} to and from its ABI.
 */
final class SolidityYumaEpoch implements AutoCloseable {

    private static final BigInteger CALL_GAS = BigInteger.valueOf(1_000_000_000L);

    private final Web3j web3j;
    private final String from;
    private final String contract;

    SolidityYumaEpoch(LocalChain chain) throws IOException {
        // a dense 256-uid epoch runs for seconds inside Anvil
        OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ofMinutes(5)).build();
        web3j = Web3j.build(new HttpService(chain.rpcUrl(), http));
        from = chain.devAccount(0).credentials().getAddress();
        String bytecode = ContractArtifact.load("YumaEpochRunner").bytecode();
        String hash = web3j.ethSendTransaction(Transaction.createContractTransaction(from, null, null, CALL_GAS,
                BigInteger.ZERO, bytecode)).send().getTransactionHash();
        contract = receipt(hash).getContractAddress();
    }

    YumaOutput run(YumaInput in) throws IOException {
        Function function = function(in);
        EthCall call = web3j.ethCall(callTransaction(function), DefaultBlockParameterName.LATEST).send();
        if (call.hasError() || call.isReverted()) {
            throw new IllegalStateException("the Solidity epoch reverted: "
                    + (call.hasError() ? call.getError().getMessage() : call.getRevertReason()));
        }
        @SuppressWarnings("rawtypes")
        List<Type> out = FunctionReturnDecoder.decode(call.getValue(), function.getOutputParameters());
        return toOutput(in.n(), out);
    }

    /**
     * Gas used by the epoch sent as a transaction: the computation (it touches no storage) plus
     * the transaction's base cost and calldata.
     */
    long gas(YumaInput in) throws IOException {
        Transaction call = callTransaction(function(in));
        var sent = web3j.ethSendTransaction(Transaction.createFunctionCallTransaction(from, null, null, CALL_GAS,
                contract, call.getData())).send();
        if (sent.hasError()) {
            throw new IllegalStateException("the epoch transaction was refused: " + sent.getError().getMessage());
        }
        String hash = sent.getTransactionHash();
        TransactionReceipt receipt = receipt(hash);
        if (!receipt.isStatusOK()) {
            throw new IllegalStateException("the epoch transaction failed: " + receipt.getRevertReason());
        }
        return receipt.getGasUsed().longValueExact();
    }

    private TransactionReceipt receipt(String hash) throws IOException {
        try {
            return new PollingTransactionReceiptProcessor(web3j, 50, 6000).waitForTransactionReceipt(hash);
        } catch (TransactionException e) {
            throw new IllegalStateException("Anvil did not mine transaction " + hash + ": " + e.getMessage(), e);
        }
    }

    private Transaction callTransaction(Function function) {
        return Transaction.createFunctionCallTransaction(from, null, null, CALL_GAS, contract,
                FunctionEncoder.encode(function));
    }

    private static Function function(YumaInput in) {
        int n = in.n();
        List<Uint256> params = new ArrayList<>();
        long[] values = {n, in.block(), in.tempo(), in.activityCutoff(), in.lastMechanismStepBlock(), in.raoEmission(),
            in.kappa(), in.bondsPenalty(), in.bondsMovingAverage(), in.maxAllowedValidators(), in.minStake(),
            in.ownerUid().isPresent() ? 1 : 0, in.ownerUid().orElse(0), in.yuma3() ? 1 : 0, in.liquidAlpha() ? 1 : 0,
            in.alphaLow(), in.alphaHigh(), in.alphaSigmoidSteepness() & 0xFFFF};
        for (long v : values) {
            params.add(new Uint256(new BigInteger(Long.toUnsignedString(v))));
        }
        List<Uint64> perUid = new ArrayList<>();
        for (long[] column : new long[][] {in.stake(), in.lastUpdate(), in.blockAtRegistration()}) {
            for (long v : column) {
                perUid.add(new Uint64(new BigInteger(Long.toUnsignedString(v))));
            }
        }
        List<Bool> permits = new ArrayList<>();
        for (boolean p : in.validatorPermit()) {
            permits.add(new Bool(p));
        }
        return new Function("run",
                List.of(new DynamicArray<>(Uint256.class, params), new DynamicArray<>(Uint64.class, perUid),
                        new DynamicArray<>(Bool.class, permits), starts(in.weights()), packed(in.weights()),
                        starts(in.bonds()), packed(in.bonds())),
                List.of(new TypeReference<DynamicArray<Bool>>() { }, new TypeReference<DynamicArray<Uint16>>() { },
                        new TypeReference<DynamicArray<Uint64>>() { }, new TypeReference<DynamicArray<Uint256>>() { },
                        new TypeReference<DynamicArray<Uint256>>() { }));
    }

    private static DynamicArray<Uint256> starts(List<SparseRow> rows) {
        List<Uint256> starts = new ArrayList<>();
        long at = 0;
        starts.add(new Uint256(0));
        for (SparseRow row : rows) {
            at += row.size();
            starts.add(new Uint256(at));
        }
        return new DynamicArray<>(Uint256.class, starts);
    }

    /** Eight (uid, value) entries a word, entry m at bit 32 * (m % 8) of word m / 8. */
    private static DynamicArray<Uint256> packed(List<SparseRow> rows) {
        List<BigInteger> words = new ArrayList<>();
        int m = 0;
        for (SparseRow row : rows) {
            for (int k = 0; k < row.size(); k++, m++) {
                if (m % 8 == 0) {
                    words.add(BigInteger.ZERO);
                }
                BigInteger entry = BigInteger.valueOf(((long) row.uids()[k] << 16) | row.values()[k]);
                words.set(m / 8, words.get(m / 8).or(entry.shiftLeft(32 * (m % 8))));
            }
        }
        return new DynamicArray<>(Uint256.class, words.stream().map(Uint256::new).toList());
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static YumaOutput toOutput(int n, List<Type> out) {
        List<Bool> flags = ((DynamicArray<Bool>) out.get(0)).getValue();
        List<Uint16> terms = ((DynamicArray<Uint16>) out.get(1)).getValue();
        List<Uint64> emissions = ((DynamicArray<Uint64>) out.get(2)).getValue();
        List<Uint256> bondStart = ((DynamicArray<Uint256>) out.get(3)).getValue();
        List<Uint256> bondPacked = ((DynamicArray<Uint256>) out.get(4)).getValue();
        boolean[] active = new boolean[n];
        boolean[] permit = new boolean[n];
        int[][] u16 = new int[5][n];
        long[][] u64 = new long[3][n];
        for (int i = 0; i < n; i++) {
            active[i] = flags.get(i).getValue();
            permit[i] = flags.get(n + i).getValue();
            for (int t = 0; t < 5; t++) {
                u16[t][i] = terms.get(t * n + i).getValue().intValueExact();
            }
            for (int t = 0; t < 3; t++) {
                u64[t][i] = emissions.get(t * n + i).getValue().longValue();
            }
        }
        List<SparseRow> bonds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int from = bondStart.get(i).getValue().intValueExact();
            int to = bondStart.get(i + 1).getValue().intValueExact();
            int[] uids = new int[to - from];
            int[] values = new int[to - from];
            for (int m = from; m < to; m++) {
                long entry = bondPacked.get(m / 8).getValue().shiftRight(32 * (m % 8)).longValue();
                uids[m - from] = (int) ((entry >>> 16) & 0xFFFF);
                values[m - from] = (int) (entry & 0xFFFF);
            }
            bonds.add(new SparseRow(uids, values));
        }
        return new YumaOutput(active, permit, u16[0], u16[1], u16[2], u16[3], u16[4], u64[0], u64[1], u64[2], bonds);
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
