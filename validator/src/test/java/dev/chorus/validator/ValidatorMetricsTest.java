package dev.chorus.validator;

import dev.chorus.validator.organic.OrganicMetrics;
import dev.chorus.validator.testing.ReadmeMetrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

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

    /** Alerts on heap, file descriptors and restarts need the process's own series beside the validator's. */
    @Test
    void theProcessSeriesAreExportedToo() {
        try (ValidatorMetrics metrics = new ValidatorMetrics()) {
            String scrape = metrics.registry().scrape();
            assertThat(scrape).contains("# TYPE jvm_memory_used_bytes gauge", "# TYPE jvm_threads_live_threads gauge",
                    "# TYPE process_files_open_files gauge", "# TYPE process_files_max_files gauge",
                    "# TYPE process_start_time_seconds gauge", "# TYPE process_cpu_usage gauge");
        }
    }

    /** The HELP line is what an operator reading a scrape has: it explains every outcome the counter takes. */
    @Test
    void weightsSubmissionsHelpNamesEveryOutcome() {
        String scrape = new ValidatorMetrics().registry().scrape();
        String help = scrape.lines().filter(line -> line.startsWith("# HELP chorus_validator_weights_submissions_total "))
                .findFirst().orElseThrow();
        List<String> outcomes = Pattern.compile("chorus_validator_weights_submissions_total\\{outcome=\"([a-z_]+)\"}")
                .matcher(scrape).results().map(match -> match.group(1)).filter(outcome -> !outcome.startsWith("rejected_"))
                .toList();

        assertThat(outcomes).as("outcomes besides rejected_<reason>").hasSizeGreaterThan(5)
                .allSatisfy(outcome -> assertThat(help).containsPattern("\\b" + outcome + "\\b"));
        assertThat(help).contains("rejected_<reason>");
    }

    /**
     * Operators copy the README's alert expressions as they are: each metric and each {@code label="value"} they (and
     * the rest of the README) name is one the validator exports. The listeners' connection meters come with the
     * listeners.
     */
    @Test
    void everyMetricAndSeriesTheReadmeMentionsIsExported() {
        ValidatorMetrics metrics = new ValidatorMetrics();
        new OrganicMetrics(metrics.registry());

        assertThat(ReadmeMetrics.mentionsNotIn(metrics.registry().scrape())).as("README mentions the scrape does not bear out")
                .allSatisfy(name -> assertThat(name).startsWith("chorus_validator_connections"));
    }

    /** The README's /metrics row is the list operators read: every metric the validator exports is on it. */
    @Test
    void theReadmeNamesEveryMetricTheValidatorExports() {
        assertThat(ReadmeMetrics.unlistedIn(new ValidatorMetrics().registry().scrape()))
                .as("metrics exported but not named in README.md's /metrics row").isEmpty();
    }
}
