package dev.chorus.bench.report;

import org.junit.jupiter.api.Test;

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
}
