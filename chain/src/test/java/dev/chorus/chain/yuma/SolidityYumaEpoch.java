package dev.chorus.chain.yuma;

import dev.chorus.chain.local.LocalChain;
import dev.chorus.chain.web3j.ContractArtifact;
import java.io.IOException;
import java.math.BigInteger;
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
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

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
        web3j = Web3j.build(new HttpService(chain.rpcUrl()));
        from = chain.devAccount(0).credentials().getAddress();
        String bytecode = ContractArtifact.load("YumaEpochRunner").bytecode();
        String hash = web3j.ethSendTransaction(Transaction.createContractTransaction(from, null, null, CALL_GAS,
                BigInteger.ZERO, bytecode)).send().getTransactionHash();
        TransactionReceipt receipt = web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt()
                .orElseThrow(() -> new IllegalStateException("Anvil did not mine the YumaEpochRunner deployment"));
        contract = receipt.getContractAddress();
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

    /** Gas the epoch takes as a transaction (it is pure, so this is the computation alone). */
    long gas(YumaInput in) throws IOException {
        return web3j.ethEstimateGas(callTransaction(function(in))).send().getAmountUsed().longValueExact();
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
                        new DynamicArray<>(Bool.class, permits), starts(in.weights()), pairs(in.weights()),
                        starts(in.bonds()), pairs(in.bonds())),
                List.of(new TypeReference<DynamicArray<Bool>>() { }, new TypeReference<DynamicArray<Uint16>>() { },
                        new TypeReference<DynamicArray<Uint64>>() { }, new TypeReference<DynamicArray<Uint256>>() { },
                        new TypeReference<DynamicArray<Uint16>>() { }));
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

    private static DynamicArray<Uint16> pairs(List<SparseRow> rows) {
        List<Uint16> pairs = new ArrayList<>();
        for (SparseRow row : rows) {
            for (int k = 0; k < row.size(); k++) {
                pairs.add(new Uint16(row.uids()[k]));
                pairs.add(new Uint16(row.values()[k]));
            }
        }
        return new DynamicArray<>(Uint16.class, pairs);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static YumaOutput toOutput(int n, List<Type> out) {
        List<Bool> flags = ((DynamicArray<Bool>) out.get(0)).getValue();
        List<Uint16> terms = ((DynamicArray<Uint16>) out.get(1)).getValue();
        List<Uint64> emissions = ((DynamicArray<Uint64>) out.get(2)).getValue();
        List<Uint256> bondStart = ((DynamicArray<Uint256>) out.get(3)).getValue();
        List<Uint16> bondPairs = ((DynamicArray<Uint16>) out.get(4)).getValue();
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
            for (int k = from; k < to; k++) {
                uids[k - from] = bondPairs.get(2 * k).getValue().intValueExact();
                values[k - from] = bondPairs.get(2 * k + 1).getValue().intValueExact();
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
