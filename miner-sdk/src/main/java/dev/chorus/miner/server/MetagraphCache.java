package dev.chorus.miner.server;

import dev.chorus.chain.Metagraph;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The last metagraph read successfully and when. While the chain is unreachable the miner keeps
 * serving from it for up to {@code maxStaleness}; after that, and before the first successful read,
 * every query is refused with {@link Rejection#METAGRAPH_UNAVAILABLE}.
 */
final class MetagraphCache {

    private record Snapshot(Metagraph metagraph, Instant fetchedAt) {
    }

    private final MetagraphSource source;
    private final Duration maxStaleness;
    private final InstantSource clock;
    private volatile Snapshot last;

    public MetagraphCache(MetagraphSource source, Duration maxStaleness, InstantSource clock) {
        this.source = source;
        this.maxStaleness = maxStaleness;
        this.clock = clock;
    }

    /** Reads the source once (blocking); on failure keeps the previous snapshot and returns the error. */
    public Optional<Exception> refresh() {
        try {
            Metagraph metagraph = source.fetch();
            if (metagraph == null) {
                throw new IllegalStateException("the metagraph source returned nothing");
            }
            last = new Snapshot(metagraph, clock.instant());
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of(e);
        }
    }

    /**
     * The metagraph to authorise against, or a refusal saying why there is none. The refusal goes to whoever sent
     * the query, so it tells the kind of trouble but not the chain error itself, which can name the miner's node;
     * that error, returned by {@link #refresh}, is for the operator's log.
     */
    public Metagraph current() {
        Snapshot snapshot = last;
        if (snapshot == null) {
            throw new RefusedException(Rejection.METAGRAPH_UNAVAILABLE, "the miner has not read the metagraph from its chain yet");
        }
        Duration age = Duration.between(snapshot.fetchedAt(), clock.instant());
        if (age.compareTo(maxStaleness) > 0) {
            throw new RefusedException(Rejection.METAGRAPH_UNAVAILABLE,
                    "the miner's metagraph is " + age.toSeconds() + " s old, over its " + maxStaleness.toSeconds()
                            + " s limit: it cannot reach its chain");
        }
        return snapshot.metagraph();
    }

    /** Seconds since the last successful read; NaN before the first. */
    public double ageSeconds() {
        Snapshot snapshot = last;
        return snapshot == null ? Double.NaN
                : Duration.between(snapshot.fetchedAt(), clock.instant()).toMillis() / 1000.0;
    }
}
