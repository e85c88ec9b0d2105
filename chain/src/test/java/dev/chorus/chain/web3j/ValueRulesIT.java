package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.WeightVector;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint128;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.admin.Admin;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/** What the contract does with the native currency sent to it: it takes what a call asks for and nothing else. */
class ValueRulesIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(2);

    private static final BigInteger WEI_PER_RAO = BigInteger.TEN.pow(9);
    private static Admin node;

    @BeforeAll
    static void connect() {
        node = Admin.build(new HttpService(fixture.chain.rpcUrl()));
    }

    @AfterAll
    static void disconnect() {
        node.shutdown();
    }

    /**
     * The precompile ABI makes these calls payable; value sent with one would stay in the contract for good, so it is
     * refused. Each call is one that goes through when sent without value.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"setWeights", "commitWeights", "revealWeights", "removeStake", "serveAxon"})
    void valueSentWithACallThatTakesNoneIsRefused(String call) throws IOException {
        Hyperparameters hp = Hyperparameters.localDevelopment(10)
                .with("commitRevealEnabled", Boolean.toString(call.endsWith("Weights") && !call.equals("setWeights")));
        int netuid = fixture.createSubnet(hp);
        Credentials key = fixture.newKey();
        Web3jSubnetChain neuron = fixture.client(key);
        int uid = neuron.register(netuid);
        BigInteger stake = BigInteger.valueOf(2_000_000_000L);
        neuron.addStake(netuid, neuron.signer(), stake);
        WeightVector self = new WeightVector(List.of(uid), List.of(1));
        if (call.equals("revealWeights")) {
            neuron.commitWeights(netuid, neuron.commitHash(netuid, self, List.of(1), 0));
            fixture.mineIntoNextEpoch(netuid, hp);
        }
        Bytes32 hotkey = new Bytes32(Numeric.toBytesPadded(Numeric.toBigInt(key.getAddress()), 32));
        String data = switch (call) {
            case "setWeights" -> Calldata.encode("setWeights(uint16,uint16[],uint16[],uint64)", new Uint16(netuid),
                    ChainFlavour.uint16Array(self.uids()), ChainFlavour.uint16Array(self.values()), new Uint64(0));
            case "commitWeights" -> Calldata.encode("commitWeights(uint16,bytes32)", new Uint16(netuid),
                    new Bytes32(neuron.commitHash(netuid, self, List.of(2), 0)));
            case "revealWeights" -> Calldata.encode("revealWeights(uint16,uint16[],uint16[],uint16[],uint64)", new Uint16(netuid),
                    ChainFlavour.uint16Array(self.uids()), ChainFlavour.uint16Array(self.values()), ChainFlavour.uint16Array(List.of(1)),
                    new Uint64(0));
            case "removeStake" -> Calldata.encode("removeStake(bytes32,uint256,uint256)", hotkey, new Uint256(stake), new Uint256(netuid));
            default -> Calldata.encode("serveAxon(uint16,uint32,uint128,uint16,uint8,uint8,uint8,uint8)", new Uint16(netuid),
                    new Uint32(0), new Uint128(0x7f000001L), new Uint16(9000), new Uint8(4), new Uint8(4), new Uint8(0), new Uint8(0));
        };
        TransactionSender sender = new TransactionSender(node, key, fixture.chain.chainId(), fixture.options(),
                new RevertDecoder(ContractArtifact.subnet().abi()));
        BigInteger held = contractBalance();

        assertThatThrownBy(() -> sender.send(call + " with value", fixture.contract, data, BigInteger.ONE))
                .isInstanceOfSatisfying(TransactionRejected.class, rejected -> {
                    assertThat(rejected.errorName()).isEqualTo("UnexpectedValue");
                    assertThat(rejected.arguments()).containsExactly(BigInteger.ONE);
                });

        sender.send(call, fixture.contract, data, BigInteger.ZERO);
        BigInteger paidOut = call.equals("removeStake") ? stake.multiply(WEI_PER_RAO) : BigInteger.ZERO;
        assertThat(contractBalance()).isEqualTo(held.subtract(paidOut));
    }

    private static BigInteger contractBalance() throws IOException {
        return node.ethGetBalance(fixture.contract, DefaultBlockParameterName.LATEST).send().getBalance();
    }
}
