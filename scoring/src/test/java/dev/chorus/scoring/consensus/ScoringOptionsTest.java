package dev.chorus.scoring.consensus;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScoringOptionsTest {

    private final ScoringOptions defaults = ScoringOptions.defaults();

    @Test
    void defaultsAreValid() {
        assertThat(defaults.problems()).isEmpty();
    }

    @Test
    void everyBadValueIsNamedWithItsFix() {
        ScoringOptions bad = new ScoringOptions(1.5, null, 0, 0, 1, 0, 2, -0.1, Duration.ofMillis(-1500));

        assertThat(bad.problems()).containsExactly(
                "duplicate cosine is 1.5: it must be in (0, 1]; 0.97 catches light edits only",
                "duplicate reward mode is missing: use FIRST_ANSWER or SHARED",
                "min copy words is 0: it must be at least 1",
                "min quoted query words is 0: it must be at least 1 (3 is the default)",
                "block size is 1: it must be at least 2 (3 is the default)",
                "trust floor is 0.0: it must be above 0 (0.05 is the default)",
                "reference weight is 2.0: it must be in [0, 1]",
                "latency weight is -0.1: it must be in [0, 1]; keep it small, e.g. 0.1",
                "latency budget is -1500 ms: it must be a positive duration, e.g. the query timeout");
        assertThatThrownBy(bad::validate).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latency budget is -1500 ms");
    }

    @Test
    void aMissingLatencyBudgetIsNamedAsMissing() {
        ScoringOptions noBudget = new ScoringOptions(defaults.duplicateCosine(), defaults.duplicateReward(),
                defaults.minCopyWords(), defaults.minQuotedQueryWords(), defaults.blockSize(), defaults.trustFloor(), defaults.referenceWeight(),
                defaults.latencyWeight(), null);

        assertThat(noBudget.problems()).containsExactly(
                "latency budget is missing: it must be a positive duration, e.g. the query timeout");
    }
}
