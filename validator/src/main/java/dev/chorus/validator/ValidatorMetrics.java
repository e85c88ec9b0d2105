package dev.chorus.validator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Every metric the validator exports, named {@code chorus_<area>_<thing>} with outcome/kind labels. */
public final class ValidatorMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicLong blocksSinceWeights = new AtomicLong(-1);
    private final AtomicLong ready = new AtomicLong(0);
    private final AtomicLong block = new AtomicLong(0);
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    /** Chain operations whose errors are counted; registered up front so the series exist before the first error. */
    public static final java.util.List<String> CHAIN_OPERATIONS = java.util.List.of("metagraph", "weights_row", "pending_commits", "set_weights", "commit_weights", "reveal_weights");

    private final Timer roundDuration;
    private final Timer embedding;
    private final Counter roundsOverdue;
    private final Counter stateWriteFailures;

    public ValidatorMetrics() {
        roundDuration = Timer.builder("chorus_validator_round_duration").description("Wall time of a round, query to scores")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        embedding = Timer.builder("chorus_validator_embedding_duration").description("Time to embed and score one round's answers")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        roundsOverdue = Counter.builder("chorus_validator_rounds_overdue")
                .description("Completed rounds that ran past rounds.round_deadline, scoring included").register(registry);
        stateWriteFailures = Counter.builder("chorus_validator_state_write_failures")
                .description("Rounds whose round-log line or state file could not be written (permissions, full disk);"
                        + " their scores stay in memory and the next round's save catches up").register(registry);
        CHAIN_OPERATIONS.forEach(operation -> Counter.builder("chorus_chain_rpc_errors").tag("operation", operation)
                .description("Chain calls that failed (unreachable node, timeout, RPC error), by operation").register(registry));
        Gauge.builder("chorus_validator_blocks_since_weights", blocksSinceWeights, AtomicLong::get)
                .description("Blocks since this validator's last_update on chain: its last accepted weights, or its registration"
                        + " before any, as subtensor counts it for the activity cutoff (-1: not registered); as of the last"
                        + " metagraph sync: it holds still while the chain is unreachable, when chorus_validator_ready is 0")
                .register(registry);
        Gauge.builder("chorus_validator_ready", ready, AtomicLong::get)
                .description("1 when the chain is reachable and this hotkey is registered with a permit").register(registry);
        Gauge.builder("chorus_chain_block", block, AtomicLong::get).description("Chain head at the last metagraph sync")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void round(String outcome, Duration duration) {
        Counter.builder("chorus_validator_rounds").description("Rounds by outcome: completed, failed, skipped_overlap, skipped_no_miners")
                .tag("outcome", outcome).register(registry).increment();
        if (duration != null) {
            roundDuration.record(duration);
        }
    }

    public void roundOverdue() {
        roundsOverdue.increment();
    }

    public void stateWriteFailure() {
        stateWriteFailures.increment();
    }

    public void minerRequest(String outcome, Duration latency) {
        Counter.builder("chorus_validator_miner_requests").description("Queries sent to miners, by outcome (ok or the failure kind)")
                .tag("outcome", outcome).register(registry).increment();
        Timer.builder("chorus_validator_miner_latency").tag("outcome", outcome).serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry).record(latency);
    }

    /** A query not sent because the miner's axon is on a private address ({@code range}: loopback, private, ...). */
    public void privateAxonRefused(String range) {
        Counter.builder("chorus_validator_private_axons_refused")
                .description("Queries not sent because the miner's axon is on a private, loopback or other internal address,"
                        + " by range (rounds.allow_private_axons is off); each is also a not_serving miner request")
                .tag("range", range).register(registry).increment();
    }

    public void embedding(Duration duration) {
        embedding.record(duration);
    }

    public void weightsSubmission(String outcome) {
        Counter.builder("chorus_validator_weights_submissions")
                .description("Weights transactions by outcome: confirmed, committed, revealed, commit_expired, commit_lost and weights_lost (reorganised away), rejected_<reason>, unconfirmed")
                .tag("outcome", outcome).register(registry).increment();
    }

    public void chainRpcError(String operation) {
        Counter.builder("chorus_chain_rpc_errors").tag("operation", operation).register(registry).increment();
    }

    public void blocksSinceWeights(long blocks) {
        blocksSinceWeights.set(blocks);
    }

    public void block(long head) {
        block.set(head);
    }

    public void ready(boolean isReady) {
        ready.set(isReady ? 1 : 0);
    }
}
