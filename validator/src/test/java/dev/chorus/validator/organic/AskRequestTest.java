package dev.chorus.validator.organic;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.config.ConfigLoader;
import dev.chorus.config.OrganicSettings;
import dev.chorus.config.ValidatorConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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
    void whileOrganicAnswersAreScoredNoRequestMayGiveMinersLessThanTheOperatorsDeadline() {
        OrganicSettings scoring = ConfigLoader.load(ValidatorConfig.defaults(), Optional.empty(), Map.of(), Map.of(
                "chain.contract_address", "0x5FbDB2315678afecb367f032d93F642f64180aa3",
                "organic.score_weight", "0.5")).organic();
        assertThatThrownBy(() -> AskRequest.of("q", null, 2500, scoring))
                .isInstanceOfSatisfying(OrganicRefused.class, e -> assertThat(e.getMessage())
                        .contains("between " + scoring.deadline().toMillis() + " and").contains("organic.deadline"));
        assertThat(AskRequest.of("q", null, (int) scoring.deadline().toMillis(), scoring).deadline())
                .isEqualTo(scoring.deadline());
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
