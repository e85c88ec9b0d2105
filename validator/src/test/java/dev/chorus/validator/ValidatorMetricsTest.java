package dev.chorus.validator;

import dev.chorus.validator.testing.ReadmeMetrics;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValidatorMetricsTest {

    /**
     * Alerts are written against a fresh validator, so every series README.md lists is there before its first event,
     * each outcome at 0. The listeners' connection meters come with the listeners (ChainDownAtStartIT scrapes those).
     */
    @Test
    void aFreshRegistryListsEveryReadmeMetricWithItsOutcomesAtZero() {
        String scrape = new ValidatorMetrics().registry().scrape();

        assertThat(ReadmeMetrics.missingFrom(scrape)).as("README metrics missing from a fresh scrape")
                .allSatisfy(name -> assertThat(name).startsWith("chorus_validator_connections"));
        assertThat(scrape).contains("chorus_validator_miner_requests_total{outcome=\"ok\"} 0.0",
                "chorus_validator_miner_requests_total{outcome=\"timeout\"} 0.0",
                "chorus_validator_miner_latency_seconds_count{outcome=\"ok\"} 0",
                "chorus_validator_weights_submissions_total{outcome=\"confirmed\"} 0.0",
                "chorus_validator_weights_submissions_total{outcome=\"rejected_no_validator_permit\"} 0.0",
                "chorus_validator_private_axons_refused_total{range=\"loopback\"} 0.0",
                "chorus_validator_rounds_total{outcome=\"skipped_no_miners\"} 0.0");
    }
}
