package dev.chorus.miner.server;

import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Tells the miner's operator about refusals they can act on, which otherwise show only as a counter: a validator this
 * miner does not answer, queries meant for another hotkey or subnet, a clock out of step, a model slower than the
 * validators' deadline. At most one line per kind a minute, so forged queries make one line a minute, not one each.
 * Probes and malformed requests, which say nothing about this miner, are only counted.
 */
final class RefusalNotices {

    static final Duration INTERVAL = Duration.ofMinutes(1);

    private static final Set<Rejection> ACTIONABLE = EnumSet.of(Rejection.UNKNOWN_SIGNER, Rejection.NO_VALIDATOR_PERMIT,
            Rejection.STAKE_TOO_LOW, Rejection.WRONG_RECEIVER, Rejection.WRONG_NETUID, Rejection.STALE_TIMESTAMP,
            Rejection.FUTURE_TIMESTAMP, Rejection.DEADLINE_EXCEEDED);

    private final LongSupplier nanoTime;
    private final Map<Rejection, Long> loggedAt = new EnumMap<>(Rejection.class);
    private final Map<Rejection, Long> unlogged = new EnumMap<>(Rejection.class);

    RefusalNotices(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    void refused(Rejection reason, String detail) {
        if (!ACTIONABLE.contains(reason)) {
            return;
        }
        long now = nanoTime.getAsLong();
        long since;
        synchronized (this) {
            Long last = loggedAt.get(reason);
            if (last != null && now - last < INTERVAL.toNanos()) {
                unlogged.merge(reason, 1L, Long::sum);
                return;
            }
            loggedAt.put(reason, now);
            since = unlogged.getOrDefault(reason, 0L);
            unlogged.remove(reason);
        }
        MinerLog.refused(reason, detail, since);
    }
}
