package dev.chorus.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HyperparametersTest {

    @Test
    void defaultsAreSubtensorsForANewSubnet() {
        Hyperparameters d = Hyperparameters.defaults();
        assertThat(d.tempo()).isEqualTo(360);
        assertThat(d.kappa()).isEqualTo(32_767);
        assertThat(d.weightsRateLimit()).isEqualTo(100);
        assertThat(d.minAllowedWeights()).isEqualTo(1);
        assertThat(d.maxAllowedValidators()).isEqualTo(64);
        assertThat(d.maxAllowedUids()).isEqualTo(256);
        assertThat(d.immunityPeriod()).isEqualTo(5_000);
        assertThat(d.commitRevealEnabled()).isTrue();
        assertThat(d.revealPeriod()).isEqualTo(1);
        assertThat(d.yuma3()).isTrue();
        assertThat(d.liquidAlpha()).isFalse();
        assertThat(d.alphaLow()).isEqualTo(45_875);
        assertThat(d.alphaHigh()).isEqualTo(58_982);
        assertThat(d.allowLoopbackAxons()).isFalse();
    }

    @Test
    void oneFieldChangesByCamelOrSnakeName() {
        assertThat(Hyperparameters.defaults().with("weights_rate_limit", "7").weightsRateLimit()).isEqualTo(7);
        assertThat(Hyperparameters.defaults().with("Tempo", "12").tempo()).isEqualTo(12);
        assertThat(Hyperparameters.defaults().with("yuma3", "off").yuma3()).isFalse();
    }

    @Test
    void badValuesListEveryProblem() {
        assertThatThrownBy(() -> Hyperparameters.defaults().with("no_such", "1")).hasMessageContaining("unknown hyperparameter 'no_such'");
        assertThatThrownBy(() -> Hyperparameters.defaults().with("tempo", "ten")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Hyperparameters.defaults().with("maxAllowedUids", "10"))
                .hasMessageContaining("maxAllowedValidators (64) must not exceed maxAllowedUids (10)");
        assertThatThrownBy(() -> Hyperparameters.defaults().with("revealPeriod", "0")).hasMessageContaining("revealPeriod");
        assertThatThrownBy(() -> Hyperparameters.defaults().with("bondsMovingAverage", "975001")).hasMessageContaining("975000");
        assertThatThrownBy(() -> Hyperparameters.defaults().with("alphaLow", "1637"))
                .hasMessageContaining("alphaLow must be at least 1638");
        assertThat(Hyperparameters.defaults().with("alphaLow", "1638").alphaLow()).isEqualTo(1638);
    }
}
