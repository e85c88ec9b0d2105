package dev.chorus.bench.metrics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GiniTest {

    @Test
    void equalSharesHaveNoInequality() {
        assertThat(Gini.of(new double[]{0.25, 0.25, 0.25, 0.25})).isCloseTo(0, within(1e-12));
    }

    @Test
    void equalSharesOfAnyCountAreExactlyEqualNeverBelowZero() {
        // 1/9 each came out at -2.2e-16, which the tables print as "Gini -0.000"
        for (int n = 1; n <= 300; n++) {
            double[] shares = new double[n];
            Arrays.fill(shares, 1.0 / n);
            assertThat(Gini.of(shares)).as("%d equal shares", n).isEqualTo(0.0);
        }
    }

    @Test
    void oneTakingAllGivesNMinusOneOverN() {
        assertThat(Gini.of(new double[]{0, 0, 0, 1})).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void matchesTheMeanAbsoluteDifferenceDefinition() {
        double[] x = {1, 2, 3, 4, 10};
        double sum = 0;
        double total = 0;
        for (double a : x) {
            total += a;
            for (double b : x) {
                sum += Math.abs(a - b);
            }
        }
        double expected = sum / (2 * x.length * total);
        assertThat(Gini.of(x)).isCloseTo(expected, within(1e-12));
        assertThat(Gini.of(new double[]{10, 4, 3, 2, 1})).isCloseTo(expected, within(1e-12));
    }

    @Test
    void emptyOrZeroIsUndefinedNotEqualityAndNegativeIsRejected() {
        assertThat(Gini.of(new double[0])).isNaN();
        assertThat(Gini.of(new double[]{0, 0})).isNaN();
        assertThatThrownBy(() -> Gini.of(new double[]{1, -1})).hasMessageContaining("non-negative");
    }
}
