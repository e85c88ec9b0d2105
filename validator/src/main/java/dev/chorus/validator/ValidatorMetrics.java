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
    private final Timer roundDuration;
    private final Timer embedding;

    public ValidatorMetrics() {
        roundDuration = Timer.builder("chorus_validator_round_duration").description("Wall time of a round, query to scores")
                .publishPercentileHistogram().register(registry);
        embedding = Timer.builder("chorus_validator_embedding_duration").description("Time to embed and score one round's answers")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("chorus_validator_blocks_since_weights", blocksSinceWeights, AtomicLong::get)
                .description("Blocks since this validator's weights were last accepted on chain (-1: never)").register(registry);
        Gauge.builder("chorus_validator_ready", ready, AtomicLong::get)
                .description("1 when the chain is reachable and this hotkey is registered with a permit").register(registry);
        Gauge.builder("chorus_chain_block", block, AtomicLong::get).description("Chain head at the last metagraph sync")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void round(String outcome, Duration duration) {
        Counter.builder("chorus_validator_rounds").tag("outcome", outcome).register(registry).increment();
        if (duration != null) {
            roundDuration.record(duration);
        }
    }

    public void minerRequest(String outcome, Duration latency) {
        Counter.builder("chorus_validator_miner_requests").tag("outcome", outcome).register(registry).increment();
        Timer.builder("chorus_validator_miner_latency").tag("outcome", outcome).publishPercentileHistogram()
                .register(registry).record(latency);
    }

    public void embedding(Duration duration) {
        embedding.record(duration);
    }

    public void weightsSubmission(String outcome) {
        Counter.builder("chorus_validator_weights_submissions").tag("outcome", outcome).register(registry).increment();
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
