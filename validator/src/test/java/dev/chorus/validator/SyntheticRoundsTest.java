package dev.chorus.validator;

import dev.chorus.chain.AxonInfo;
import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticRoundsTest {

    private static Neuron neuron(int uid, String hotkey) {
        return new Neuron(uid, hotkey, String.format("0x%040x", uid + 1001), BigInteger.ZERO, AxonInfo.NONE, false, true,
                0, 0, 0, 0, 0, 0, BigInteger.ZERO);
    }

    /**
     * A round's rewards and failures are kept only for uids still held by the hotkey asked: uid 1 changed hands while
     * the round ran, and uid 3 left a subnet that a reset chain shrank.
     */
    @Test
    void aRoundIsTalliedOnlyForUidsStillHeldByTheHotkeyAsked() {
        Metagraph now = new Metagraph(1, 500, List.of(neuron(0, "0xaa"), neuron(1, "0xnew"), neuron(2, "0xcc")));
        Map<Integer, String> asked = Map.of(0, "0xAA", 1, "0xold", 2, "0xcc", 3, "0xdd");

        assertThat(SyntheticRounds.stillHeldByAsked(asked, now)).containsExactly(0, 2);
    }
}
