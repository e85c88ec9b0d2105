package dev.chorus.bench.load;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LatencyScriptTest {

    @Test
    void defaultScriptHasTheAdvertisedMedianTailAndFailureShares() {
        LatencyScript script = new LatencyScript(40, 0.87, 800, 0.01, 0.005);
        Random random = new Random(1);
        int n = 200_000;
        double[] delays = new double[n];
        int answered = 0;
        int errors = 0;
        int hangs = 0;
        for (int i = 0; i < n; i++) {
            switch (script.next(random)) {
                case LatencyScript.Answer a -> delays[answered++] = a.delayMs();
                case LatencyScript.Error e -> errors++;
                case LatencyScript.Hang h -> hangs++;
            }
        }
        Percentiles p = new Percentiles(Arrays.copyOf(delays, answered));
        assertThat(p.at(50)).isBetween(38.0, 42.0);
        assertThat(p.at(99)).isBetween(270.0, 330.0);
        assertThat(p.max()).isLessThanOrEqualTo(800.0);
        assertThat(errors / (double) n).isBetween(0.009, 0.011);
        assertThat(hangs / (double) n).isBetween(0.004, 0.006);
    }

    @Test
    void sameSeedGivesTheSameScript() {
        LatencyScript script = new LatencyScript(40, 0.87, 800, 0.02, 0.01);
        Random a = new Random(7);
        Random b = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            assertThat(script.next(a)).isEqualTo(script.next(b));
        }
    }

    @Test
    void failuresAddUpToTheRequestedShare() {
        ValidatorLoad.Options o = new ValidatorLoad.Options(256, 10, 0, 1, 0.02, 40, 0.87, 800, Duration.ofSeconds(1),
                false, 16, 100);
        assertThat(o.deadMiners()).isEqualTo(1);
        // 2 % of 256 is 5.12 failing miners a round: 1 dead, the other 4.12 spread over the 255 live ones.
        assertThat(o.perQueryFailureRate()).isCloseTo(4.12 / 255, org.assertj.core.data.Offset.offset(1e-12));
        double expectedFailures = o.deadMiners() + (o.miners() - o.deadMiners()) * o.perQueryFailureRate();
        assertThat(expectedFailures / o.miners()).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void answersMustBeAbleToArriveBeforeTheMinerTimeout() {
        assertThatThrownBy(() -> new ValidatorLoad.Options(256, 10, 0, 1, 0.02, 40, 0.87, 1_000, Duration.ofSeconds(1),
                false, 16, 100)).hasMessageContaining("--latency-cap-ms");
    }
}
