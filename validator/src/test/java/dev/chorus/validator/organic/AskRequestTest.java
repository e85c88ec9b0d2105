package dev.chorus.validator.organic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.config.OrganicSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AskRequestTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final OrganicSettings LIMITS = OrganicSettings.defaults();

    @Test
    void readsPromptAndOptionsWithDefaults() throws Exception {
        assertThat(AskRequest.fromJson(JSON.readTree("{\"prompt\": \"why?\", \"max_miners\": 3, \"deadline_ms\": 2500}"), LIMITS))
                .isEqualTo(new AskRequest("why?", 3, Duration.ofMillis(2500)));
        assertThat(AskRequest.fromJson(JSON.readTree("{\"prompt\": \"why?\"}"), LIMITS))
                .isEqualTo(new AskRequest("why?", LIMITS.maxMiners(), LIMITS.deadline()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|prompt is missing",
            "{\"prompt\": 7}|prompt is missing or not a string",
            "{\"prompt\": \"  \"}|prompt is empty",
            "{\"prompt\": \"q\", \"max_miners\": 0}|between 1 and 32",
            "{\"prompt\": \"q\", \"max_miners\": 2.5}|max_miners must be a whole number",
            "{\"prompt\": \"q\", \"deadline_ms\": 600000}|between 1 and 30000",
            "{\"prompt\": \"q\", \"temperature\": 1}|unknown field(s) [temperature]",
            "[]|must be a JSON object"})
    void refusesBadRequestsSayingWhatWasWrong(String body, String message) {
        assertThatThrownBy(() -> AskRequest.fromJson(JSON.readTree(body), LIMITS))
                .isInstanceOfSatisfying(OrganicRefused.class, e -> {
                    assertThat(e.reason()).isEqualTo(OrganicRefused.Reason.BAD_REQUEST);
                    assertThat(e.reason().status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void refusesAnOverlongPromptAsTooLarge() {
        assertThatThrownBy(() -> AskRequest.of("x".repeat(LIMITS.maxPromptChars() + 1), null, null, LIMITS))
                .isInstanceOfSatisfying(OrganicRefused.class, e -> {
                    assertThat(e.reason().status()).isEqualTo(413);
                    assertThat(e.getMessage()).contains("at most " + LIMITS.maxPromptChars());
                });
    }
}
