package dev.chorus.bench.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioSpecTest {

    private static ScenarioSpec spec(int honest, int noisy, int copycats, int padders, int openers) {
        return new ScenarioSpec(honest, noisy, copycats, 0, 0, padders, openers, 1, 1, 1, 7);
    }

    @ParameterizedTest(name = "padders {0}, openers {1}")
    @CsvSource({"-1, 0, --padders is -1", "0, -3, --openers is -3"})
    void negativePaddersOrOpenersAreRefused(int padders, int openers, String problem) {
        assertThatThrownBy(() -> spec(2, 0, 0, padders, openers)).hasMessageContaining(problem);
    }

    @ParameterizedTest(name = "copycats {0}, padders {1}, openers {2}")
    @CsvSource({"1, 0, 0", "0, 2, 0", "0, 0, 2"})
    void copyingMinersNeedAnHonestMinerToCopy(int copycats, int padders, int openers) {
        assertThatThrownBy(() -> spec(0, 2, copycats, padders, openers))
                .hasMessageContaining("copy honest miners' answers and there are none: give --honest 1 or more");
        assertThatCode(() -> spec(1, 2, copycats, padders, openers)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "padders {0}, openers {1}")
    @CsvSource({"2, 0", "0, 2", "20, 20"})
    void paddersAndOpenersTakeNoPhrasingAndCountAsMiners(int padders, int openers) {
        ScenarioSpec full = spec(QaPair.phrasings(), 0, 0, padders, openers);
        assertThat(full.miners()).isEqualTo(QaPair.phrasings() + padders + openers);
        assertThat(full.withRounds(5)).isEqualTo(new ScenarioSpec(QaPair.phrasings(), 0, 0, 0, 0, padders, openers,
                1, 5, 1, 7));
    }

    @Test
    void paddersAndOpenersCountTowardTheSubnetsTwoMiners() {
        assertThatThrownBy(() -> spec(1, 0, 0, 0, 0)).hasMessageContaining("the subnet has 1 miners");
        assertThatCode(() -> spec(1, 0, 0, 1, 0)).doesNotThrowAnyException();
        assertThatCode(() -> spec(1, 0, 0, 0, 1)).doesNotThrowAnyException();
    }

    @Test
    void theDefaultScenarioHasNoPaddersOrOpeners() {
        assertThat(ScenarioSpec.defaults().padders()).isZero();
        assertThat(ScenarioSpec.defaults().openers()).isZero();
        assertThat(ScenarioSpec.defaults().miners()).isEqualTo(22);
    }
}
