package dev.chorus.validator.organic;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScoringBudgetTest {

    static final long MS = 1_000_000;

    @Test
    void allowsItsShareOfWallTimeOnAverage() {
        ScoringBudget budget = new ScoringBudget(0.25, 0);
        long now = 0;
        long spent = 0;
        // A flood: score whenever the budget allows, 100 ms each, for 60 s.
        while (now < 60_000 * MS) {
            if (budget.waitNanos(now) == 0) {
                budget.spend(100 * MS, now);
                spent += 100 * MS;
            }
            now += 10 * MS;
        }
        assertThat(spent / (double) now).isBetween(0.25, 0.25 + 1.2 / 60);
    }

    @Test
    void saysHowLongUntilTheBalanceIsPositiveAgain() {
        ScoringBudget budget = new ScoringBudget(0.5, 0);
        budget.spend(1500 * MS, 0);
        assertThat(budget.waitNanos(0)).isEqualTo(1000 * MS);
        assertThat(budget.waitNanos(400 * MS)).isEqualTo(600 * MS);
        assertThat(budget.waitNanos(1000 * MS)).isZero();
    }

    @Test
    void neverSavesUpMoreThanOneSecond() {
        ScoringBudget budget = new ScoringBudget(1.0, 0);
        budget.spend(1001 * MS, 3_600_000 * MS);
        assertThat(budget.waitNanos(3_600_000 * MS)).isEqualTo(MS);
    }
}
