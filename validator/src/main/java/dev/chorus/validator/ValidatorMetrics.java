package dev.chorus.validator;

import dev.chorus.chain.WeightsRejected;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.server.ProcessMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Every metric the validator exports, named {@code chorus_<area>_<thing>} with outcome/kind labels, beside the
 * process's own ({@link ProcessMetrics}: heap, GC, threads, CPU, file descriptors). Each labelled
 * series is registered at 0 for every label value it can take, so that alerts written against a fresh validator find
 * it before its first event.
 */
public final class ValidatorMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProcessMetrics process = new ProcessMetrics(registry);
    private final AtomicLong blocksSinceWeights = new AtomicLong(-1);
    private final AtomicLong ready = new AtomicLong(0);
    private final AtomicLong block = new AtomicLong(0);
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30)};

    /** Chain operations whose errors are counted. */
    public static final List<String> CHAIN_OPERATIONS = List.of("connect", "metagraph", "weights_row", "pending_commits", "transaction", "set_weights", "commit_weights", "reveal_weights");

    /** How a scheduled round ends; {@link #roundsSinceStart} counts each. */
    private static final List<String> ROUND_OUTCOMES = List.of("completed", "failed", "skipped_overlap", "skipped_no_miners");

    /** How a query to a miner ends: ok, or the failure kind. */
    private static final List<String> MINER_REQUEST_OUTCOMES = Stream.concat(Stream.of("ok"),
            Arrays.stream(MinerAnswer.Failure.values()).map(ValidatorMetrics::minerRequestOutcome)).toList();

    /** What became of a weights submission; a chain's refusal is {@code rejected_<reason>}. */
    private static final List<String> WEIGHTS_OUTCOMES = Stream.concat(Stream.of("confirmed", "committed", "revealed",
                    "confirmed_late", "commit_expired", "commit_lost", "weights_lost", "unconfirmed",
                    "fee_above_ceiling", "skipped_no_scores", "intent_not_saved"),
            Arrays.stream(WeightsRejected.Reason.values()).map(ValidatorMetrics::rejectedOutcome)).toList();

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
                .description("Failed writes of the state file or of a round-log line (permissions, full disk), each counted;"
                        + " scores stay in memory and the next save catches up").register(registry);
        CHAIN_OPERATIONS.forEach(operation -> Counter.builder("chorus_chain_rpc_errors").tag("operation", operation)
                .description("Chain calls that failed (unreachable node, timeout, RPC error), by operation").register(registry));
        ROUND_OUTCOMES.forEach(this::rounds);
        MINER_REQUEST_OUTCOMES.forEach(outcome -> {
            minerRequests(outcome);
            minerLatency(outcome);
        });
        WEIGHTS_OUTCOMES.forEach(this::weightsSubmissions);
        Arrays.stream(PrivateRange.values()).forEach(range -> privateAxonsRefused(range.label()));
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

    @Override
    public void close() {
        process.close();
    }

    public void round(String outcome, Duration duration) {
        rounds(outcome).increment();
        if (duration != null) {
            roundDuration.record(duration);
        }
    }

    /** Scheduled rounds since this process started, by each of {@link #ROUND_OUTCOMES}: what /metrics counts. */
    public Map<String, Long> roundsSinceStart() {
        Map<String, Long> counts = new LinkedHashMap<>();
        ROUND_OUTCOMES.forEach(outcome -> counts.put(outcome, (long) rounds(outcome).count()));
        return counts;
    }

    private Counter rounds(String outcome) {
        return Counter.builder("chorus_validator_rounds").description("Rounds by outcome: " + String.join(", ", ROUND_OUTCOMES))
                .tag("outcome", outcome).register(registry);
    }

    public void roundOverdue() {
        roundsOverdue.increment();
    }

    public void stateWriteFailure() {
        stateWriteFailures.increment();
    }

    public void minerRequest(MinerAnswer answer) {
        String outcome = answer instanceof MinerAnswer.Failed failed ? minerRequestOutcome(failed.failure()) : "ok";
        minerRequests(outcome).increment();
        minerLatency(outcome).record(answer.latency());
    }

    private static String minerRequestOutcome(MinerAnswer.Failure failure) {
        return failure.name().toLowerCase(Locale.ROOT);
    }

    private Counter minerRequests(String outcome) {
        return Counter.builder("chorus_validator_miner_requests").description("Queries sent to miners, by outcome (ok or the failure kind)")
                .tag("outcome", outcome).register(registry);
    }

    private Timer minerLatency(String outcome) {
        return Timer.builder("chorus_validator_miner_latency").description("Time to a miner's answer or failure, by outcome")
                .tag("outcome", outcome).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    /** A query not sent because the miner's axon is on a private address ({@code range}: loopback, private, ...). */
    public void privateAxonRefused(String range) {
        privateAxonsRefused(range).increment();
    }

    private Counter privateAxonsRefused(String range) {
        return Counter.builder("chorus_validator_private_axons_refused")
                .description("Queries not sent because the miner's axon is on a private, loopback or other internal address,"
                        + " by range (rounds.allow_private_axons is off), in scored and organic rounds; in a scored"
                        + " round each is also a not_serving miner request")
                .tag("range", range).register(registry);
    }

    public void embedding(Duration duration) {
        embedding.record(duration);
    }

    public void weightsSubmission(String outcome) {
        weightsSubmissions(outcome).increment();
    }

    public void weightsRejected(WeightsRejected.Reason reason) {
        weightsSubmission(rejectedOutcome(reason));
    }

    private static String rejectedOutcome(WeightsRejected.Reason reason) {
        return "rejected_" + reason.name().toLowerCase(Locale.ROOT);
    }

    private Counter weightsSubmissions(String outcome) {
        return Counter.builder("chorus_validator_weights_submissions")
                .description("Weights submissions by outcome: confirmed, committed, revealed, confirmed_late (found on chain"
                        + " after its receipt was missed), commit_expired, commit_lost and weights_lost (reorganised away),"
                        + " rejected_<reason>, unconfirmed; not sent: fee_above_ceiling, skipped_no_scores (every score 0),"
                        + " intent_not_saved (the state folder cannot be written)")
                .tag("outcome", outcome).register(registry);
    }

    public void chainRpcError(String operation) {
        Counter.builder("chorus_chain_rpc_errors").tag("operation", operation).register(registry).increment();
    }

    public void blocksSinceWeights(long blocks) {
        blocksSinceWeights.set(blocks);
    }

    /** What chorus_validator_blocks_since_weights shows now; -1 when not registered or no weights were ever set. */
    public long blocksSinceWeights() {
        return blocksSinceWeights.get();
    }

    public void block(long head) {
        block.set(head);
    }

    public void ready(boolean isReady) {
        ready.set(isReady ? 1 : 0);
    }
}
