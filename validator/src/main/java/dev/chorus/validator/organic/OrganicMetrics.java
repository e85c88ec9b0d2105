package dev.chorus.validator.organic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.core.metrics.Histogram;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Organic traffic in Prometheus ({@code chorus_organic_requests_total{outcome}},
 * {@code chorus_organic_latency_seconds}, {@code chorus_organic_agreement}) and the summary the dashboard shows.
 * Thread-safe.
 */
public final class OrganicMetrics {

    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};
    private static final double[] AGREEMENT_BUCKETS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
    /** Latencies kept for the dashboard's percentiles; enough for a stable median, small enough to sort per scrape. */
    private static final int RECENT = 512;

    private final PrometheusMeterRegistry registry;
    private final Timer latency;
    private final Histogram agreement;
    private final Map<String, Long> outcomes = new TreeMap<>();
    private final long[] recentMillis = new long[RECENT];
    private final long[] agreementCounts = new long[AGREEMENT_BUCKETS.length];
    private long answered;
    private double agreementSum;

    public OrganicMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.latency = Timer.builder("chorus_organic_latency").description("Time to answer an organic request that got an answer")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        // Prometheus's own histogram, not a Micrometer summary: a summary rounds each value up to a whole number before
        // it finds the bucket, which put every agreement short of 1 in le="1.0". Without exemplars, which would need
        // the client's tracer bridge that Micrometer leaves out.
        this.agreement = Histogram.builder().name("chorus_organic_agreement")
                .help("Agreement of the miners' answers to organic questions, 0 (scattered) to 1 (unanimous)")
                .classicOnly().classicUpperBounds(AGREEMENT_BUCKETS).withoutExemplars()
                .register(registry.getPrometheusRegistry());
        // Every outcome at 0 from the first scrape: a ratio alert on refusals has its denominator before the first
        // refusal, and the first refusal counts as an increase instead of starting a series.
        counter("ok");
        counter("error");
        Arrays.stream(OrganicRefused.Reason.values()).forEach(reason -> counter(reason.outcome()));
    }

    /** Where these metrics live, for the organic listener's own. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** An answered request. */
    public synchronized void answered(Duration took, double agreementScore) {
        counter("ok").increment();
        outcomes.merge("ok", 1L, Long::sum);
        latency.record(took);
        agreement.observe(agreementScore);
        recentMillis[(int) (answered % RECENT)] = took.toMillis();
        answered++;
        agreementSum += agreementScore;
        for (int b = 0; b < AGREEMENT_BUCKETS.length; b++) {
            if (agreementScore <= AGREEMENT_BUCKETS[b]) {
                agreementCounts[b]++;
                break;
            }
        }
    }

    /** A refused or failed request, labelled by its reason (bad_key, rate_limited, ...). */
    public synchronized void refused(OrganicRefused.Reason reason) {
        counter(reason.outcome()).increment();
        outcomes.merge(reason.outcome(), 1L, Long::sum);
    }

    /** A request that failed inside the validator. */
    public synchronized void failed() {
        counter("error").increment();
        outcomes.merge("error", 1L, Long::sum);
    }

    private Counter counter(String outcome) {
        return Counter.builder("chorus_organic_requests").tag("outcome", outcome)
                .description("Organic requests by outcome: ok, error (failed inside the validator), or why it was refused").register(registry);
    }

    /** The {@code organic} object of the status document. */
    public synchronized Map<String, Object> status() {
        Map<String, Object> doc = new LinkedHashMap<>();
        long total = outcomes.values().stream().mapToLong(Long::longValue).sum();
        doc.put("requests", total);
        doc.put("answered", answered);
        doc.put("outcomes", new TreeMap<>(outcomes));
        doc.put("mean_agreement", answered == 0 ? null : agreementSum / answered);
        long[] recent = Arrays.copyOf(recentMillis, (int) Math.min(answered, RECENT));
        Arrays.sort(recent);
        doc.put("p50_ms", recent.length == 0 ? null : recent[(recent.length - 1) / 2]);
        doc.put("p95_ms", recent.length == 0 ? null : recent[(int) Math.ceil(0.95 * recent.length) - 1]);
        Map<String, Long> histogram = new LinkedHashMap<>();
        for (int b = 0; b < AGREEMENT_BUCKETS.length; b++) {
            histogram.put(String.format(java.util.Locale.ROOT, "%.1f", AGREEMENT_BUCKETS[b]), agreementCounts[b]);
        }
        doc.put("agreement_histogram", histogram);
        return doc;
    }
}
