package dev.chorus.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ChorusCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"ERROR", "WARN", "INFO", "DEBUG", "TRACE", "OFF", "debug", "Warn"})
    void aLevelLogbackKnowsIsTaken(String level) {
        assertThat(ChorusCommand.logLevelProblem(level)).isEmpty();
    }

    @Test
    void anUnsetLevelIsTaken() {
        assertThat(ChorusCommand.logLevelProblem(null)).isEmpty();
    }

    /** Logback would read these as DEBUG without a word. */
    @ParameterizedTest
    @ValueSource(strings = {"verbose", "", "INFOO"})
    void anyOtherLevelIsRefusedWithTheLevelsToChooseFrom(String level) {
        assertThat(ChorusCommand.logLevelProblem(level)).hasValueSatisfying(problem -> assertThat(problem)
                .startsWith("CHORUS_LOG_LEVEL '" + level + "' is not a log level")
                .contains("ERROR, WARN, INFO, DEBUG, TRACE, OFF"));
    }
}
