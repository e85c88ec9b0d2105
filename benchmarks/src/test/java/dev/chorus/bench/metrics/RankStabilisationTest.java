package dev.chorus.bench.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RankStabilisationTest {

    private static final double[] EVEN = {0.25, 0.25, 0.25, 0.25};
    private static final double[] SHUFFLED = {0.4, 0.1, 0.3, 0.2};
    private static final double[] FINAL = {0.1, 0.2, 0.3, 0.4};
    private static final double[] CLOSE = {0.11, 0.19, 0.31, 0.39};

    @Test
    void settlesAtTheFirstEpochFromWhichEveryLaterRankingMatches() {
        assertThat(RankStabilisation.tempos(List.of(EVEN, SHUFFLED, CLOSE, FINAL, FINAL), 0.9)).isEqualTo(3);
    }

    @Test
    void aConstantFirstEpochDoesNotCountAsSettled() {
        assertThat(RankStabilisation.tempos(List.of(EVEN, FINAL, FINAL), 0.9)).isEqualTo(2);
    }

    @Test
    void aLateReshuffleResetsTheCount() {
        assertThat(RankStabilisation.tempos(List.of(FINAL, FINAL, SHUFFLED, FINAL, FINAL), 0.9)).isEqualTo(4);
    }

    @Test
    void neverSettlesWhenOnlyTheLastEpochHasTheRanking() {
        assertThat(RankStabilisation.tempos(List.of(FINAL, SHUFFLED, FINAL), 0.9)).isEqualTo(-1);
        assertThat(RankStabilisation.tempos(List.of(FINAL), 0.9)).isEqualTo(-1);
        assertThat(RankStabilisation.tempos(List.of(FINAL, EVEN), 0.9)).isEqualTo(-1);
    }
}
