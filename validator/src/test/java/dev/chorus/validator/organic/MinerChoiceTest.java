package dev.chorus.validator.organic;

import dev.chorus.chain.Metagraph;
import dev.chorus.chain.Neuron;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MinerChoiceTest {

    /** uid u scores u / 100: the higher the uid, the better the miner. */
    static double score(int uid) {
        return uid / 100.0;
    }

    @Test
    void asksTheBestScoredServingMinersWithoutExploration() {
        List<MinerChoice.Pick> picks = new MinerChoice(0, new Random(1)).choose(Fixtures.metagraph(20), "0xnone",
                MinerChoiceTest::score, 5);
        assertThat(picks).extracting(p -> p.neuron().uid()).containsExactly(20, 19, 18, 17, 16);
        assertThat(picks).noneMatch(MinerChoice.Pick::explored);
    }

    @Test
    void skipsValidatorsItselfAndMinersNotServing() {
        List<Neuron> neurons = new ArrayList<>(Fixtures.metagraph(4).neurons());
        neurons.set(2, Fixtures.neuron(2, false, false));
        neurons.set(3, Fixtures.neuron(3, true, true));
        Metagraph metagraph = new Metagraph(1, 1, neurons);
        List<MinerChoice.Pick> picks = new MinerChoice(0, new Random(1)).choose(metagraph, neurons.get(4).hotkey(),
                MinerChoiceTest::score, 8);
        assertThat(picks).extracting(p -> p.neuron().uid()).containsExactly(1);
    }

    @Test
    void explorationGivesUnscoredMinersAChanceWhileTheBestStay() {
        MinerChoice choice = new MinerChoice(0.25, new Random(3));
        Set<Integer> explored = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            List<MinerChoice.Pick> picks = choice.choose(Fixtures.metagraph(40), "0xnone", MinerChoiceTest::score, 8);
            assertThat(picks).hasSize(8);
            assertThat(picks).filteredOn(p -> !p.explored()).extracting(p -> p.neuron().uid())
                    .containsExactly(40, 39, 38, 37, 36, 35);
            picks.stream().filter(MinerChoice.Pick::explored).forEach(p -> explored.add(p.neuron().uid()));
        }
        assertThat(explored).allMatch(uid -> uid <= 34).hasSizeGreaterThan(25);
    }

    /**
     * The score book moves while miners are chosen (synthetic and organic rounds record on other threads); a sort that
     * read each score anew at every comparison saw its order change under it and could throw "Comparison method
     * violates its general contract!", failing the consumer's request with a 500. Here every read moves the score.
     */
    @Test
    void aScoreThatMovesWhileMinersAreChosenDoesNotBreakTheChoice() {
        Random moves = new Random(7);
        for (int i = 0; i < 20; i++) {
            List<MinerChoice.Pick> picks = new MinerChoice(0, new Random(i)).choose(Fixtures.metagraph(256), "0xnone",
                    uid -> moves.nextDouble(), 8);
            assertThat(picks).hasSize(8);
        }
    }

    @Test
    void fractionalExplorationShareExploresInProportionOnAverage() {
        MinerChoice choice = new MinerChoice(0.125, new Random(5));
        int slots = 0;
        for (int i = 0; i < 4000; i++) {
            slots += choice.explorationSlots(4);
        }
        assertThat(slots / 4000.0).isBetween(0.45, 0.55);
    }
}
