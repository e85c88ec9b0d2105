package dev.chorus.validator;

import dev.chorus.chain.Neuron;
import dev.chorus.config.IpLiteral;
import dev.chorus.miner.client.MinerAnswer;
import dev.chorus.miner.client.MinerClient;
import dev.chorus.miner.protocol.QueryRequest;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link MinerClient} that asks only axons on public addresses, for validators whose settings leave
 * {@code rounds.allow_private_axons} off. An axon in a {@link PrivateRange} is answered at once as
 * {@link MinerAnswer.Failure#NOT_SERVING}, like an axon that cannot be addressed, so the scorer and the round log treat
 * it alike; each refusal is counted in {@code chorus_validator_private_axons_refused_total{range}}, and each uid is
 * logged once per address rather than at every round. Thread-safe.
 */
final class PublicAxonMinerClient implements MinerClient {

    private final MinerClient inner;
    private final ValidatorMetrics metrics;
    /** uid to the axon last logged as refused: a miner that moves to another private address is logged again. */
    private final Map<Integer, String> reported;

    PublicAxonMinerClient(MinerClient inner, ValidatorMetrics metrics) {
        this(inner, metrics, new ConcurrentHashMap<>());
    }

    private PublicAxonMinerClient(MinerClient inner, ValidatorMetrics metrics, Map<Integer, String> reported) {
        this.inner = inner;
        this.metrics = metrics;
        this.reported = reported;
    }

    /** The same check over {@code other}, sharing this one's log, so a uid asked by both is still logged once. */
    PublicAxonMinerClient alongside(MinerClient other) {
        return new PublicAxonMinerClient(other, metrics, reported);
    }

    @Override
    public Future<MinerAnswer> query(Neuron miner, QueryRequest query) {
        Optional<PrivateRange> range = miner.axon().isServing()
                ? IpLiteral.parse(miner.axon().host()).flatMap(PrivateRange::of) : Optional.empty();
        if (range.isEmpty()) {
            return inner.query(miner, query);
        }
        String axon = miner.axon().endpoint();
        metrics.privateAxonRefused(range.get().label());
        if (!axon.equals(reported.put(miner.uid(), axon))) {
            ValidatorLog.privateAxonRefused(miner.uid(), miner.hotkey(), axon, range.get().label());
        }
        return Future.succeededFuture(MinerAnswer.failed(miner.uid(), MinerAnswer.Failure.NOT_SERVING,
                "axon " + axon + " is a " + range.get().label() + " address, not asked (rounds.allow_private_axons is off)",
                Duration.ZERO));
    }

    @Override
    public void close() {
        inner.close();
    }
}
