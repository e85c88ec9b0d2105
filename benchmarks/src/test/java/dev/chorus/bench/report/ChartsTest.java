package dev.chorus.bench.report;

import dev.chorus.bench.replay.ValidatorOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;

import java.math.RoundingMode;

import static org.assertj.core.api.Assertions.assertThat;

class ChartsTest {

    @Test
    void heatmapLegendBoundsKeepThreeSignificantDigitsAndStillHoldEveryCell() {
        assertThat(String.valueOf(Charts.legendBound(0.11049048434739213, RoundingMode.CEILING))).isEqualTo("0.111");
        assertThat(String.valueOf(Charts.legendBound(0.11049048434739213, RoundingMode.FLOOR))).isEqualTo("0.11");
        assertThat(String.valueOf(Charts.legendBound(0.0012345, RoundingMode.FLOOR))).isEqualTo("0.00123");
        assertThat(String.valueOf(Charts.legendBound(0.0, RoundingMode.FLOOR))).isEqualTo("0.0");
        assertThat(String.valueOf(Charts.legendBound(1.0, RoundingMode.CEILING))).isEqualTo("1.0");
    }

    @Test
    void heatmapRowsAreNamedByUidAndTheCopierByItsRole() {
        List<ValidatorOutcome> validators = List.of(new ValidatorOutcome(22, false, 1, 0.4, 1),
                new ValidatorOutcome(23, false, 1, 0.4, 1), new ValidatorOutcome(24, true, 1, 0.2, 0.5));
        assertThat(List.of(0, 1, 2)).extracting(row -> Charts.validatorLabel(validators, row))
                .containsExactly("22", "23", "24 (copier)");
    }
}
