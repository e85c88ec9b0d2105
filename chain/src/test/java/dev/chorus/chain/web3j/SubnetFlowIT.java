package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.SubnetInfo;
import dev.chorus.chain.WeightRow;
import dev.chorus.chain.WeightVector;
import dev.chorus.chain.yuma.YumaEpoch;
import dev.chorus.chain.yuma.YumaInput;
import dev.chorus.chain.yuma.YumaJson;
import dev.chorus.chain.yuma.YumaOutput;
import java.io.IOException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.http.HttpService;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The path the demo walks: create a subnet, register, serve, stake, set weights, read everything back. */
class SubnetFlowIT {

    @RegisterExtension
    static final ChainFixture fixture = new ChainFixture(10);

    @Test
    void validatorWeightsAreStoredMaxUpscaledAndTheMetagraphShowsEveryNeuron() {
        Web3jSubnetChain owner = fixture.client(0);
        int netuid = owner.createSubnet(Hyperparameters.localDevelopment(10));
        assertThat(owner.hyperparameters(netuid)).isEqualTo(Hyperparameters.localDevelopment(10));

        Web3jSubnetChain validator = fixture.client(1);
        assertThat(validator.register(netuid)).isEqualTo(0);
        for (int miner = 0; miner < 4; miner++) {
            Web3jSubnetChain client = fixture.client(2 + miner);
            assertThat(client.register(netuid)).isEqualTo(1 + miner);
            client.serveAxon(netuid, "127.0.0.1", 9100 + miner);
        }
        validator.addStake(netuid, validator.signer(), BigInteger.valueOf(5_000_000_000L));
        owner.updateValidatorPermits(netuid);

        validator.setWeights(netuid, new WeightVector(List.of(1, 2, 3, 4), List.of(43690, 21845, 21845, 100)), 0);

        WeightRow row = validator.weights(netuid, 0);
        assertThat(row.uids()).containsExactly(1, 2, 3, 4);
        assertThat(row.values()).containsExactly(65535, 32768, 32768, 150);

        Metagraph metagraph = owner.metagraph(netuid);
        assertThat(metagraph.size()).isEqualTo(5);
        Neuron v = metagraph.neuron(0);
        assertThat(v.hotkey()).isEqualTo(validator.signer());
        assertThat(v.coldkey()).isEqualTo(validator.signer());
        assertThat(v.stake()).isEqualTo(BigInteger.valueOf(5_000_000_000L));
        assertThat(v.validatorPermit()).isTrue();
        assertThat(v.lastUpdate()).isEqualTo(metagraph.block());
        assertThat(metagraph.neuron(1).validatorPermit()).isFalse();
        assertThat(metagraph.neuron(3).axon().baseUrl()).isEqualTo("http://127.0.0.1:9102");
        assertThat(metagraph.neuron(3).axon().ipType()).isEqualTo(4);

        fixture.client(3).setWeights(netuid, new WeightVector(List.of(2), List.of(7)), 0);
        List<WeightRow> matrix = owner.weightMatrix(netuid);
        assertThat(matrix).hasSize(5);
        assertThat(matrix.get(0)).isEqualTo(row);
        assertThat(matrix.get(1).uids()).isEmpty();
        assertThat(matrix.get(2).uids()).containsExactly(2);
        assertThat(matrix.get(2).values()).containsExactly(65535);
        assertThat(owner.bondMatrix(netuid)).allSatisfy(bonds -> assertThat(bonds.uids()).isEmpty());

        SubnetInfo info = owner.subnetInfo(netuid);
        assertThat(info.owner()).isEqualTo(owner.signer());
        assertThat(info.n()).isEqualTo(5);
        assertThat(info.ownerUid()).isEmpty();
        assertThat(info.epoch()).isEqualTo(owner.currentEpoch(netuid));
        assertThat(info.lastEpochBlock()).isZero();

        YumaInput input = owner.yumaInput(netuid, fixture.chain.blockNumber() + 1);
        assertThat(input.n()).isEqualTo(5);
        assertThat(input.stake()).containsExactly(5_000_000_000L, 0, 0, 0, 0);
        assertThat(input.validatorPermit()).containsExactly(true, false, false, false, false);
        assertThat(input.weights().get(0).uids()).containsExactly(1, 2, 3, 4);
        assertThat(input.weights().get(0).values()).containsExactly(65535, 32768, 32768, 150);
        assertThat(input.tempo()).isEqualTo(10);
        YumaOutput epoch = YumaEpoch.run(input);
        assertThat(epoch.incentive()[1]).isGreaterThan(epoch.incentive()[2]).isGreaterThan(epoch.incentive()[4]);
        assertThat(epoch.dividends()[0]).isEqualTo(65535);
    }

    @Test
    void theEpochsInputIsReadOnTheStateOfOneBlock() {
        Web3jSubnetChain owner = fixture.owner();
        int netuid = owner.createSubnet(Hyperparameters.localDevelopment(10));
        Web3jSubnetChain validator = fixture.newNeuron();
        Web3jSubnetChain miner = fixture.newNeuron();
        validator.register(netuid);
        miner.register(netuid);
        validator.addStake(netuid, validator.signer(), BigInteger.valueOf(2_000_000_000L));
        owner.updateValidatorPermits(netuid);
        validator.setWeights(netuid, new WeightVector(List.of(1), List.of(100)), 0);
        long stateBlock = fixture.chain.blockNumber();
        long epochBlock = stateBlock + 1;
        String then = YumaJson.writeInput(owner.yumaInput(netuid, epochBlock));

        validator.addStake(netuid, validator.signer(), BigInteger.valueOf(1_000_000_000L));
        fixture.newNeuron().register(netuid);
        validator.setWeights(netuid, new WeightVector(List.of(1, 2), List.of(100, 50)), 0);
        owner.setHyperparameters(netuid, Hyperparameters.localDevelopment(10).with("kappa", "30000"));

        assertThat(YumaJson.writeInput(owner.yumaInput(netuid, epochBlock, stateBlock))).isEqualTo(then);
        YumaInput now = owner.yumaInput(netuid, epochBlock);
        assertThat(now.n()).isEqualTo(3);
        assertThat(now.stake()[0]).isEqualTo(3_000_000_000L);
        assertThat(now.weights().get(0).uids()).containsExactly(1, 2);
        assertThat(now.kappa()).isEqualTo(30000);
    }

    @Test
    void permitsBetweenEpochsGoOnlyToStakeAtTheThreshold() {
        Web3jSubnetChain owner = fixture.owner();
        int netuid = owner.createSubnet(Hyperparameters.localDevelopment(10).with("stakeThreshold", "2000000000"));
        Web3jSubnetChain above = fixture.newNeuron();
        Web3jSubnetChain below = fixture.newNeuron();
        above.register(netuid);
        below.register(netuid);
        above.addStake(netuid, above.signer(), BigInteger.valueOf(3_000_000_000L));
        below.addStake(netuid, below.signer(), BigInteger.valueOf(1_000_000_000L));

        owner.updateValidatorPermits(netuid);

        Metagraph metagraph = owner.metagraph(netuid);
        assertThat(metagraph.byHotkey(above.signer()).orElseThrow().validatorPermit()).isTrue();
        assertThat(metagraph.byHotkey(below.signer()).orElseThrow().validatorPermit()).as("stake under the threshold")
                .isFalse();
    }

    @Test
    void everyStateChangeEmitsItsEvent() throws Exception {
        Web3jSubnetChain owner = fixture.owner();
        Hyperparameters commitReveal = Hyperparameters.localDevelopment(10).with("commitRevealEnabled", "true");
        int netuid = owner.createSubnet(commitReveal);
        owner.setHyperparameters(netuid, commitReveal.with("kappa", "30000"));
        fixture.setNetworkLockCost(owner.networkLockCost());
        Credentials neuronKey = fixture.newKey();
        Web3jSubnetChain neuron = fixture.client(neuronKey);
        neuron.register(netuid);
        neuron.serveAxon(netuid, "127.0.0.1", 9200);
        neuron.addStake(netuid, neuron.signer(), BigInteger.valueOf(2_000_000_000L));
        neuron.removeStake(netuid, neuron.signer(), BigInteger.valueOf(1_000_000_000L));
        owner.updateValidatorPermits(netuid);
        WeightVector self = new WeightVector(List.of(0), List.of(1));
        neuron.commitWeights(netuid, neuron.commitHash(netuid, self, List.of(1), 0));
        fixture.mineIntoNextEpoch(netuid, commitReveal);
        neuron.revealWeights(netuid, self, List.of(1), 0);
        owner.setHyperparameters(netuid, commitReveal.with("commitRevealEnabled", "false"));
        neuron.setWeights(netuid, self, 0);
        fixture.mineIntoNextEpoch(netuid, commitReveal);
        owner.runEpoch(netuid);
        assertThat(neuron.emissionBalance(neuron.signer())).as("the epoch minted emission").isPositive();
        fixture.send(neuronKey, owner.emissionToken(), "approve", Calldata.encode("approve(address,uint256)",
                new Address(owner.signer()), new Uint256(1)), BigInteger.ZERO);

        assertEmittedEveryEvent(fixture.contract, ContractArtifact.subnet());
        assertEmittedEveryEvent(owner.emissionToken(), ContractArtifact.load("EmissionToken"));
    }

    private static void assertEmittedEveryEvent(String address, ContractArtifact artifact) throws IOException {
        Map<String, String> names = new HashMap<>();
        for (String event : artifact.signatures("event")) {
            names.put(Hash.sha3String(event), event.substring(0, event.indexOf('(')));
        }
        Set<String> seen = new HashSet<>();
        Web3j web3j = Web3j.build(new HttpService(fixture.chain.rpcUrl()));
        try {
            EthFilter everything = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, address);
            for (EthLog.LogResult<?> result : web3j.ethGetLogs(everything).send().getLogs()) {
                seen.add(names.get(((Log) result.get()).getTopics().getFirst()));
            }
        } finally {
            web3j.shutdown();
        }
        assertThat(names).as("events of the contract at %s", address).isNotEmpty();
        assertThat(seen).as("events of the contract at %s", address).containsAll(names.values());
    }
}
