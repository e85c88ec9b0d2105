package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.TransactionRejected;
import dev.chorus.chain.WeightVector;
import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
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
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/** What the contract does with the native currency sent to it: it takes what a call asks for and nothing else. */
class ValueRulesIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(2);

    private static final BigInteger WEI_PER_RAO = BigInteger.TEN.pow(9);
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

    /**
     * Subnets cost subtensor's minimum network lock unless the deployer sets another; the contract keeps the lock,
     * records it in SubnetCreated, and takes not a wei more or less.
     */
    @Test
    void createSubnetLocksTheNetworkLockCost() throws IOException {
        Web3jSubnetChain owner = fixture.owner();
        BigInteger lock = owner.networkLockCost();
        assertThat(lock).as("1,000 TAO in rao").isEqualTo(BigInteger.valueOf(1_000_000_000_000L));
        BigInteger held = contractBalance();

        int netuid = owner.createSubnet(Hyperparameters.localDevelopment(10));
        assertThat(contractBalance()).isEqualTo(held.add(lock.multiply(WEI_PER_RAO)));
        assertThat(lockRecordedFor(netuid)).isEqualTo(lock);

        String create = Calldata.encode("createSubnet(" + Web3jSubnetChain.HYPERPARAMETERS_TUPLE + ")",
                Web3jSubnetChain.encode(Hyperparameters.localDevelopment(10)));
        assertWrongAmountsRefused(fixture.chain.devAccount(0).credentials(), "createSubnet", create, lock.multiply(WEI_PER_RAO),
                "IncorrectLockAmount");
    }

    /** Registration burns exactly the subnet's burn and staking takes exactly the stake, each in wei. */
    @Test
    void burnedRegisterAndAddStakeTakeExactlyTheirAmount() throws IOException {
        Hyperparameters hp = Hyperparameters.localDevelopment(10);
        int netuid = fixture.createSubnet(hp);
        Credentials key = fixture.newKey();
        Bytes32 hotkey = new Bytes32(Numeric.toBytesPadded(Numeric.toBigInt(key.getAddress()), 32));
        BigInteger burnWei = BigInteger.valueOf(hp.burn()).multiply(WEI_PER_RAO);
        String register = Calldata.encode("burnedRegister(uint16,bytes32)", new Uint16(netuid), hotkey);
        assertWrongAmountsRefused(key, "burnedRegister", register, burnWei, "IncorrectBurnAmount");
        fixture.send(key, "burnedRegister", register, burnWei);

        BigInteger stakeRao = BigInteger.valueOf(2_000_000_000L);
        String stake = Calldata.encode("addStake(bytes32,uint256,uint256)", hotkey, new Uint256(stakeRao), new Uint256(netuid));
        assertWrongAmountsRefused(key, "addStake", stake, stakeRao.multiply(WEI_PER_RAO), "IncorrectStakeAmount");
        fixture.send(key, "addStake", stake, stakeRao.multiply(WEI_PER_RAO));
        assertThat(fixture.owner().metagraph(netuid).byHotkey(key.getAddress()).orElseThrow().stake())
                .isEqualTo(stakeRao);
    }

    /** Sends {@code data} with 0 wei, one wei short and one wei over {@code rightWei}: each refused, nothing kept. */
    private static void assertWrongAmountsRefused(Credentials signer, String call, String data, BigInteger rightWei, String error)
            throws IOException {
        BigInteger held = contractBalance();
        for (BigInteger wrong : List.of(BigInteger.ZERO, rightWei.subtract(BigInteger.ONE), rightWei.add(BigInteger.ONE))) {
            assertThatThrownBy(() -> fixture.send(signer, call, data, wrong)).as("%s with %s wei", call, wrong)
                    .isInstanceOfSatisfying(TransactionRejected.class, rejected -> {
                        assertThat(rejected.errorName()).isEqualTo(error);
                        assertThat(rejected.arguments()).containsExactly(rightWei, wrong);
                    });
        }
        assertThat(contractBalance()).isEqualTo(held);
    }

    @Test
    void onlyTheDeployerSetsTheLockCostAndTheClientPaysTheCurrentOne() throws IOException {
        BigInteger lock = fixture.owner().networkLockCost();
        BigInteger fiveTao = BigInteger.valueOf(5_000_000_000L);
        String deployer = fixture.chain.devAccount(0).address();
        Web3jSubnetChain other = fixture.client(1);
        assertThat(other.deployer()).isEqualToIgnoringCase(deployer);
        assertThatThrownBy(() -> other.setNetworkLockCost(fiveTao))
                .hasMessageContaining("only the contract's deployer, " + other.deployer() + ", may set the network lock cost")
                .hasMessageContaining("this client signs as " + other.signer())
                .cause().isInstanceOfSatisfying(TransactionRejected.class, rejected -> assertThat(rejected.errorName()).isEqualTo("NotDeployer"));
        fixture.setNetworkLockCost(fiveTao);
        try {
            Web3jSubnetChain creator = fixture.newNeuron();
            BigInteger held = contractBalance();
            int netuid = creator.createSubnet(Hyperparameters.localDevelopment(10));
            assertThat(creator.subnetInfo(netuid).owner()).isEqualTo(creator.signer());
            assertThat(contractBalance()).isEqualTo(held.add(fiveTao.multiply(WEI_PER_RAO)));
            assertThat(lockRecordedFor(netuid)).isEqualTo(fiveTao);
        } finally {
            fixture.setNetworkLockCost(lock);
        }
    }

    /** uint64 would wrap a larger cost, and Uint64 would fail with a message about bit sizes. */
    @Test
    void aLockCostOutsideUint64IsRefusedBeforeAnythingIsSent() {
        Web3jSubnetChain owner = fixture.owner();
        BigInteger lock = owner.networkLockCost();
        for (BigInteger rao : List.of(BigInteger.ONE.negate(), BigInteger.ONE.shiftLeft(64))) {
            assertThatThrownBy(() -> owner.setNetworkLockCost(rao)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(rao + " rao does not fit").hasMessageContaining("give 0 to 18446744073709551615 rao");
        }
        assertThat(owner.networkLockCost()).isEqualTo(lock);
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

    /** The lock that the SubnetCreated event of {@code netuid} says its creator paid, in rao. */
    private static BigInteger lockRecordedFor(int netuid) throws IOException {
        EthFilter created = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, fixture.contract)
                .addSingleTopic(Hash.sha3String(Web3jSubnetChain.SUBNET_CREATED_EVENT))
                .addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(netuid), 64));
        List<EthLog.LogResult> logs = fixture.node().ethGetLogs(created).send().getLogs();
        assertThat(logs).hasSize(1);
        return Numeric.toBigInt(((Log) logs.getFirst().get()).getData());
    }

    private static BigInteger contractBalance() throws IOException {
        return fixture.node().ethGetBalance(fixture.contract, DefaultBlockParameterName.LATEST).send().getBalance();
    }
}
