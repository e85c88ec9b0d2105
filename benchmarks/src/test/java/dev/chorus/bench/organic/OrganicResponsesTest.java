package dev.chorus.bench.organic;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Only a 429 counts as the validator refusing; any other failure status is counted apart, by status. */
class OrganicResponsesTest {

    @Test
    void aServiceUnavailableIsNotCountedAsARefusal() {
        OrganicResponses responses = new OrganicResponses();
        for (int status : new int[] {200, 429, 429, 503, 500, 503, 200, 200}) {
            responses.count(status);
        }
        assertThat(responses.ok()).isEqualTo(3);
        assertThat(responses.rateLimited()).isEqualTo(2);
        assertThat(responses.other()).isEqualTo(Map.of(500, 1L, 503, 2L));
    }
}
