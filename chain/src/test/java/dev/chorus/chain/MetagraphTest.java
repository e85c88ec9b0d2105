package dev.chorus.chain;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetagraphTest {

    private static Neuron neuron(int uid) {
        return new Neuron(uid, "0x" + "%040x".formatted(uid + 1), "0x" + "%040x".formatted(100 + uid), BigInteger.ZERO,
                AxonInfo.NONE, false, true, 0, 0, 0, 0, 0, 0, BigInteger.ZERO);
    }

    @Test
    void aUidTheSubnetHasIsItsNeuron() {
        Metagraph metagraph = new Metagraph(1, 40, List.of(neuron(0), neuron(1), neuron(2)));

        assertThat(metagraph.neuron(2).uid()).isEqualTo(2);
    }

    @Test
    void aUidTheSubnetDoesNotHaveIsRefusedWithTheUidsItHas() {
        Metagraph metagraph = new Metagraph(1, 40, List.of(neuron(0), neuron(1), neuron(2)));

        assertThatThrownBy(() -> metagraph.neuron(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subnet 1 has no uid 7 at block 40: its uids are 0 to 2 (`bin/chorus chain status` lists them)");
        assertThatThrownBy(() -> metagraph.neuron(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no uid -1");
        assertThatThrownBy(() -> new Metagraph(3, 5, List.of()).neuron(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subnet 3 has no uid 0 at block 5: no neuron is registered yet"
                        + " (`bin/chorus chain status` lists them)");
    }
}
