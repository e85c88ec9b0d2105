package dev.chorus.scoring.book;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.scoring.consensus.MinerScore;
import dev.chorus.scoring.consensus.Penalty;
import dev.chorus.scoring.consensus.RoundScores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScoreBookTest {

    private ScoreBook book;

    @BeforeEach
    void fourMiners() {
        book = new ScoreBook(new ScoreBookOptions(0.1, 0.99));
        book.resync(List.of("hk0", "hk1", "hk2", "hk3"));
    }

    @Test
    void answeredUidsMoveTowardTheirRewardByAlpha() {
        book.record(Map.of(0, 1.0, 1, 0.5), Set.of());
        book.record(Map.of(0, 1.0), Set.of());

        assertThat(book.score(0)).isCloseTo(0.19, within(1e-12));
        assertThat(book.score(1)).isCloseTo(0.05, within(1e-12));
    }

    @Test
    void uidsNotQueriedKeepTheirScore() {
        book.record(Map.of(0, 1.0, 2, 1.0), Set.of());
        book.record(Map.of(0, 0.0), Set.of());

        assertThat(book.score(2)).isCloseTo(0.1, within(1e-12));
        assertThat(book.score(3)).isZero();
    }

    @Test
    void silentMinerDecaysSlowlyNotLikeAZeroReward() {
        for (int i = 0; i < 30; i++) {
            book.record(Map.of(0, 1.0, 1, 1.0), Set.of());
        }
        double before = book.score(0);
        book.record(Map.of(1, 0.0), Set.of(0));

        assertThat(book.score(0)).isCloseTo(before * 0.99, within(1e-12));
        assertThat(book.score(1)).isCloseTo(before * 0.9, within(1e-12));
    }

    @Test
    void recordsAScoredRound() {
        RoundScores round = new RoundScores(List.of(
                new MinerScore(0, 0.8, 0.9, 0.8, Double.NaN, 1, -1, Set.of()),
                new MinerScore(1, 0, Double.NaN, Double.NaN, Double.NaN, 1, -1, Set.of(Penalty.NO_ANSWER))),
                null, 0, 1);
        book.record(Map.of(1, 1.0), Set.of());
        book.record(round);

        assertThat(book.score(0)).isCloseTo(0.08, within(1e-12));
        assertThat(book.score(1)).isCloseTo(0.1 * 0.99, within(1e-12));
    }

    @Test
    void newHotkeyOnAUidStartsFromZero() {
        book.record(Map.of(0, 1.0, 1, 1.0), Set.of());
        book.resync(List.of("hk0", "someone-else", "hk2", "hk3"));

        assertThat(book.score(0)).isCloseTo(0.1, within(1e-12));
        assertThat(book.score(1)).isZero();
    }

    @Test
    void followsTheSubnetWhenItGrowsAndShrinks() {
        book.record(Map.of(0, 1.0, 3, 1.0), Set.of());
        book.resync(List.of("hk0", "hk1", "hk2", "hk3", "hk4", "hk5"));
        assertThat(book.size()).isEqualTo(6);
        assertThat(book.score(3)).isCloseTo(0.1, within(1e-12));
        assertThat(book.score(5)).isZero();

        book.resync(List.of("hk0", "hk1"));
        assertThat(book.size()).isEqualTo(2);
        assertThat(book.scores()).containsExactly(0.1, 0.0);

        book.resync(List.of("hk0", "hk1", "hk2", "hk3"));
        assertThat(book.score(3)).as("a uid that left and came back starts again").isZero();
    }

    @Test
    void aRoundOvertakenByAResyncPaysNoRewardToTheUidsNewOwner() {
        Map<Integer, String> asked = Map.of(0, "hk0", 1, "hk1", 2, "hk2");
        book.resync(List.of("hk0", "new-owner", "hk2", "hk3"));

        book.record(Map.of(0, 1.0, 1, 1.0), Set.of(2), asked);

        assertThat(book.scores()).containsExactly(0.1, 0.0, 0.0, 0.0);
        assertThat(book.snapshot().hotkeys()).containsExactly("hk0", "new-owner", "hk2", "hk3");
    }

    @Test
    void aScoredRoundIsRecordedOnlyForTheHotkeysItAsked() {
        book.record(Map.of(0, 1.0, 1, 1.0), Set.of());
        RoundScores round = new RoundScores(List.of(
                new MinerScore(0, 1.0, 1.0, 1.0, Double.NaN, 1, -1, Set.of()),
                new MinerScore(1, 1.0, 1.0, 1.0, Double.NaN, 1, -1, Set.of())),
                null, 0, 1);

        book.record(round, Map.of(0, "hk0", 1, "previous-owner-of-1"));

        assertThat(book.score(0)).isCloseTo(0.19, within(1e-12));
        assertThat(book.score(1)).as("uid 1 now belongs to another hotkey").isCloseTo(0.1, within(1e-12));
    }

    @Test
    void aWeightedRoundMovesScoresThatShareOfASyntheticStep() {
        Map<Integer, String> asked = Map.of(0, "hk0", 1, "hk1", 2, "hk2");
        book.record(Map.of(0, 1.0, 1, 1.0), Set.of());

        book.record(Map.of(0, 1.0, 1, 0.0, 2, 1.0), 0.25, asked);

        assertThat(book.score(0)).isCloseTo(0.1 + 0.025 * 0.9, within(1e-12));
        assertThat(book.score(1)).as("a failed miner loses the same share").isCloseTo(0.1 * (1 - 0.025), within(1e-12));
        assertThat(book.score(2)).isCloseTo(0.025, within(1e-12));
        book.record(Map.of(0, 1.0), 0.0, asked);
        assertThat(book.score(0)).as("weight 0 leaves the book alone").isCloseTo(0.1225, within(1e-12));
    }

    @Test
    void aWeightedRoundKeepsWhatWasRecordedWhileItWasScored() {
        Map<Integer, String> asked = Map.of(0, "hk0");
        book.record(Map.of(0, 1.0), Set.of());
        double read = book.score(0);
        book.record(Map.of(0, 1.0), Set.of());
        double meanwhile = book.score(0);

        book.record(Map.of(0, read), 0.5, asked);

        assertThat(book.score(0)).as("moved from the score it has now, not from the one read before scoring")
                .isCloseTo(meanwhile + 0.05 * (read - meanwhile), within(1e-12));
    }

    @Test
    void aWeightedRoundSkipsNewOwnersAndRefusesABadWeight() {
        book.resync(List.of("hk0", "new-owner", "hk2", "hk3"));
        book.record(Map.of(1, 1.0), 1.0, Map.of(1, "hk1"));
        assertThat(book.score(1)).isZero();
        assertThatThrownBy(() -> book.record(Map.of(0, 1.0), 1.5, Map.of(0, "hk0")))
                .hasMessageContaining("weight 1.5 is outside [0, 1]");
    }

    @Test
    void uidsBeyondTheBookAreSkipped() {
        book.record(Map.of(9, 1.0), Set.of(12));
        assertThat(book.scores()).containsOnly(0.0);
    }

    @Test
    void aBadRewardLeavesTheWholeBookAsItWas() {
        book.record(Map.of(0, 1.0, 1, 1.0), Set.of());
        double[] before = book.scores();
        Map<Integer, Double> rewards = new java.util.LinkedHashMap<>();
        rewards.put(0, 0.5);
        rewards.put(1, Double.NaN);

        assertThatThrownBy(() -> book.record(rewards, Set.of(2))).hasMessageContaining("uid 1");

        assertThat(book.scores()).containsExactly(before);
    }

    @Test
    void rejectsRewardsOutsideTheUnitInterval() {
        assertThatThrownBy(() -> book.record(Map.of(0, 1.5), Set.of())).hasMessageContaining("uid 0");
        assertThatThrownBy(() -> book.record(Map.of(0, Double.NaN), Set.of())).hasMessageContaining("outside [0, 1]");
    }

    @Test
    void survivesAJsonRoundTrip() throws Exception {
        book.record(Map.of(0, 1.0, 2, 0.3), Set.of(1));
        ObjectMapper json = new ObjectMapper();

        String written = json.writeValueAsString(book.snapshot());
        ScoreBook restored = ScoreBook.restore(json.readValue(written, ScoreBookState.class),
                ScoreBookOptions.defaults());

        assertThat(restored.snapshot()).isEqualTo(book.snapshot());
        assertThat(written).contains("\"hotkeys\":[\"hk0\",\"hk1\",\"hk2\",\"hk3\"]");
    }

    @Test
    void refusesDamagedState() {
        assertThatThrownBy(() -> new ScoreBookState(List.of("a", "b"), List.of(0.1)))
                .hasMessageContaining("2 hotkeys but 1 scores");
        assertThatThrownBy(() -> ScoreBook.restore(new ScoreBookState(List.of("a"), List.of(7.0)),
                ScoreBookOptions.defaults())).hasMessageContaining("uid 0");
    }

    @Test
    void rejectsBadOptionsListingEveryProblem() {
        assertThatThrownBy(() -> new ScoreBook(new ScoreBookOptions(0, 2)))
                .hasMessageContaining("alpha is 0.0").hasMessageContaining("absent decay is 2.0");
    }
}
