package dev.chorus.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.WeightRow;
import dev.chorus.chain.WeightVector;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
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
    }
}
