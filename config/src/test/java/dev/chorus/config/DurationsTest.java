package dev.chorus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "PT0S, 0s",
            "PT0.5S, 500ms",
            "PT1.5S, 1500ms",
            "PT12S, 12s",
            "PT90S, 90s",
            "PT2M, 2m",
            "PT1H, 1h",
            "PT36H, 36h",
            "PT48H, 2d",
            "PT-5S, -5s",
            "PT-0.25S, -250ms",
            "PT0.0005S, 0.5ms",
    })
    void writesTheLargestUnitThatIsExact(String iso, String expected) {
        assertThat(Durations.format(Duration.parse(iso))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"500ms", "12s", "2m", "1h", "3d"})
    void formattedValuesReadBackAsTheSameDuration(String written) {
        Duration parsed = ConfigLoader.load(ValidatorConfig.defaults(), Optional.empty(), Map.of(),
                Map.of("chain.contract_address", "0x" + "1".repeat(40), "rounds.connect_timeout", written))
                .rounds().connectTimeout();
        assertThat(Durations.format(parsed)).isEqualTo(written);
    }
}
