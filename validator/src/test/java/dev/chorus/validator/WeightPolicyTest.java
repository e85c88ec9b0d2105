package dev.chorus.validator;

import dev.chorus.chain.AxonInfo;
import dev.chorus.chain.Hyperparameters;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import dev.chorus.chain.WeightVector;
import dev.chorus.validator.state.RoundRecord.MetagraphView;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WeightPolicyTest {

    private static final String OWN = String.format("0x%040x", 4);

    private static Neuron neuron(int uid, boolean serving, boolean permit) {
        AxonInfo axon = serving ? new AxonInfo(1, 1, AxonInfo.encodeIp("127.0.0.1"), 9000 + uid, 4, 0) : AxonInfo.NONE;
        return new Neuron(uid, String.format("0x%040x", uid + 1), String.format("0x%040x", uid + 1001),
                BigInteger.ZERO, axon, permit, true, 0, 0, 0, 0, 0, 0, BigInteger.ZERO);
    }

    @Test
    void aUidThatIsNotAskedIsNotWeighedWhateverItsOldScore() {
        Metagraph metagraph = new Metagraph(1, 100, List.of(
                neuron(0, true, true),     // a validator
                neuron(1, true, false),    // a serving miner
                neuron(2, false, false),   // a miner that withdrew its axon
                neuron(3, true, false)));  // this validator's own hotkey, without a permit
        double[] book = {0.9, 0.5, 0.9, 0.9, 0.9};

        double[] weighed = WeightPolicy.weighedScores(book, metagraph, OWN);

        assertThat(weighed).containsExactly(0, 0.5, 0, 0);
        WeightVector vector = WeightPolicy.vectorFor(weighed, Hyperparameters.localDevelopment(10), 1.0);
        assertThat(vector.uids()).containsExactly(1);
        assertThat(vector.values()).containsExactly(65535);

        MetagraphView logged = MetagraphView.of(metagraph, OWN);
        assertThat(logged).as("what the round log records of this metagraph")
                .isEqualTo(new MetagraphView(4, List.of(0, 2, 3)));
        assertThat(WeightPolicy.weighedScores(book, 4, logged::weighs)).as("what a replay of the log weighs")
                .containsExactly(weighed);
    }
}
