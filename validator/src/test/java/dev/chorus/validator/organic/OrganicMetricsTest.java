package dev.chorus.validator.organic;

import dev.chorus.validator.testing.ReadmeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class OrganicMetricsTest {

    /**
     * An operator alerts on the share of organic requests refused; before the first refusal, the refusal series must
     * already be there at 0, or the first one only starts a series that rate() does not see as an increase.
     */
    @ParameterizedTest
    @EnumSource(OrganicRefused.Reason.class)
    void everyRefusalReasonIsAtZeroBeforeTheFirstRequest(OrganicRefused.Reason reason) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new OrganicMetrics(registry);

        assertThat(registry.scrape()).contains("chorus_organic_requests_total{outcome=\"" + reason.outcome() + "\"} 0.0",
                "chorus_organic_requests_total{outcome=\"ok\"} 0.0", "chorus_organic_requests_total{outcome=\"error\"} 0.0");
    }

    /** README.md's organic section is where an operator learns these names; it gives each one the listener exports. */
    @Test
    void theReadmeNamesEveryOrganicMetric() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Set<String> documented = Pattern.compile("`(chorus_organic_[a-z_]+)").matcher(readme).results()
                .map(match -> match.group(1)).collect(Collectors.toCollection(TreeSet::new));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new OrganicMetrics(registry);

        assertThat(documented).as("organic metrics named in README.md")
                .containsExactlyElementsOf(ReadmeMetrics.families(registry.scrape()));
    }

    @Test
    void eachOutcomeCountsInItsOwnSeries() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OrganicMetrics metrics = new OrganicMetrics(registry);

        metrics.answered(Duration.ofMillis(300), 0.8);
        metrics.refused(OrganicRefused.Reason.RATE_LIMITED);
        metrics.refused(OrganicRefused.Reason.RATE_LIMITED);
        metrics.failed();

        assertThat(registry.scrape()).contains("chorus_organic_requests_total{outcome=\"ok\"} 1.0",
                "chorus_organic_requests_total{outcome=\"rate_limited\"} 2.0",
                "chorus_organic_requests_total{outcome=\"error\"} 1.0",
                "chorus_organic_requests_total{outcome=\"bad_key\"} 0.0",
                "chorus_organic_latency_seconds_count 1");
    }

    /**
     * Agreement lies in [0, 1], so its buckets are tenths; a Micrometer summary rounds every value up to a whole number
     * before it finds the bucket, and counted every agreement short of 1 in le="1.0" only.
     */
    @Test
    void agreementLandsInTheBucketOfItsValue() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OrganicMetrics metrics = new OrganicMetrics(registry);

        metrics.answered(Duration.ofMillis(300), 0.05);
        metrics.answered(Duration.ofMillis(300), 0.37);
        metrics.answered(Duration.ofMillis(300), 0.4);
        metrics.answered(Duration.ofMillis(300), 0.93);

        assertThat(registry.scrape()).contains("chorus_organic_agreement_bucket{le=\"0.1\"} 1\n",
                "chorus_organic_agreement_bucket{le=\"0.3\"} 1\n", "chorus_organic_agreement_bucket{le=\"0.4\"} 3\n",
                "chorus_organic_agreement_bucket{le=\"0.9\"} 3\n", "chorus_organic_agreement_bucket{le=\"1.0\"} 4\n",
                "chorus_organic_agreement_bucket{le=\"+Inf\"} 4\n", "chorus_organic_agreement_count 4\n",
                "chorus_organic_agreement_sum 1.75\n");
        assertThat(metrics.status()).extractingByKey("agreement_histogram").asString()
                .isEqualTo("{0.1=1, 0.2=0, 0.3=0, 0.4=2, 0.5=0, 0.6=0, 0.7=0, 0.8=0, 0.9=0, 1.0=1}");
    }
}
