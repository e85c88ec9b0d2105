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
import org.junit.jupiter.api.Test;
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
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/** What the contract does with the native currency sent to it: it takes what a call asks for and nothing else. */
class ValueRulesIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(2);

    private static final BigInteger WEI_PER_RAO = BigInteger.TEN.pow(9);
    private static Web3j node;

    @BeforeAll
    static void connect() {
        node = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
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
        BigInteger held = contractBalance();

        assertThatThrownBy(() -> fixture.send(key, call + " with value", data, BigInteger.ONE))
                .isInstanceOfSatisfying(TransactionRejected.class, rejected -> {
                    assertThat(rejected.errorName()).isEqualTo("UnexpectedValue");
                    assertThat(rejected.arguments()).containsExactly(BigInteger.ONE);
                });

        fixture.send(key, call, data, BigInteger.ZERO);
        BigInteger paidOut = call.equals("removeStake") ? stake.multiply(WEI_PER_RAO) : BigInteger.ZERO;
        assertThat(contractBalance()).isEqualTo(held.subtract(paidOut));
    }

    /** Subnets cost subtensor's minimum network lock unless the deployer sets another; the contract keeps the lock. */
    @Test
    void createSubnetLocksTheNetworkLockCost() throws IOException {
        Web3jSubnetChain owner = fixture.owner();
        BigInteger lock = owner.networkLockCost();
        assertThat(lock).as("1,000 TAO in rao").isEqualTo(BigInteger.valueOf(1_000_000_000_000L));
        BigInteger held = contractBalance();

        owner.createSubnet(Hyperparameters.localDevelopment(10));
        assertThat(contractBalance()).isEqualTo(held.add(lock.multiply(WEI_PER_RAO)));

        String create = Calldata.encode("createSubnet(" + Web3jSubnetChain.HYPERPARAMETERS_TUPLE + ")",
                Web3jSubnetChain.encode(Hyperparameters.localDevelopment(10)));
        for (BigInteger wrong : List.of(BigInteger.ZERO, lock.multiply(WEI_PER_RAO).subtract(BigInteger.ONE))) {
            assertThatThrownBy(() -> fixture.send(fixture.chain.devAccount(0).credentials(), "createSubnet", create, wrong))
                    .isInstanceOfSatisfying(TransactionRejected.class, rejected -> {
                        assertThat(rejected.errorName()).isEqualTo("IncorrectLockAmount");
                        assertThat(rejected.arguments()).containsExactly(lock.multiply(WEI_PER_RAO), wrong);
                    });
        }
    }

    @Test
    void onlyTheDeployerSetsTheLockCostAndTheClientPaysTheCurrentOne() throws IOException {
        BigInteger lock = fixture.owner().networkLockCost();
        BigInteger fiveTao = BigInteger.valueOf(5_000_000_000L);
        assertThatThrownBy(() -> fixture.send(fixture.chain.devAccount(1).credentials(), "setNetworkLockCost",
                Calldata.encode("setNetworkLockCost(uint64)", new Uint64(fiveTao)), BigInteger.ZERO))
                .isInstanceOfSatisfying(TransactionRejected.class, rejected -> assertThat(rejected.errorName()).isEqualTo("NotDeployer"));
        fixture.setNetworkLockCost(fiveTao);
        try {
            Web3jSubnetChain creator = fixture.newNeuron();
            BigInteger held = contractBalance();
            int netuid = creator.createSubnet(Hyperparameters.localDevelopment(10));
            assertThat(creator.subnetInfo(netuid).owner()).isEqualTo(creator.signer());
            assertThat(contractBalance()).isEqualTo(held.add(fiveTao.multiply(WEI_PER_RAO)));
        } finally {
            fixture.setNetworkLockCost(lock);
        }
    }

    @Test
    void aSignerThatCannotPayTheLockIsToldWhatItCosts() {
        Credentials poor = fixture.newKey();
        fixture.chain.setBalance(poor.getAddress(), BigInteger.TEN.pow(18)); // 1 ether: enough for gas, not for the lock
        Web3jSubnetChain creator = fixture.client(poor);
        assertThatThrownBy(() -> creator.createSubnet(Hyperparameters.localDevelopment(10)))
                .isInstanceOfSatisfying(TransactionRejected.class, rejected -> {
                    assertThat(rejected.errorName()).isEqualTo("NodeRefused");
                    assertThat(rejected.getMessage()).contains("network lock cost of 1000000000000 rao (1000 ether)")
                            .contains("the signer " + poor.getAddress() + " cannot pay");
                });
    }

    private static BigInteger contractBalance() throws IOException {
        return node.ethGetBalance(fixture.contract, DefaultBlockParameterName.LATEST).send().getBalance();
    }
}
