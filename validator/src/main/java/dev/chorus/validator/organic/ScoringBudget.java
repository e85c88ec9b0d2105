package dev.chorus.validator.organic;

/**
 * The organic CPU budget. Embedding the answers is what an organic request costs the validator, and it competes
 * with the synthetic rounds for the same cores, so organic scoring may take only a share of wall time on average:
 * the budget refills at {@code share} seconds per second up to one second, each organic round spends the time its
 * scoring took, and while the balance is negative new requests are turned away. A concurrency cap alone would
 * not do: a cap of one request still keeps a core busy all the time under a flood. Thread-safe; time is passed in.
 */
final class ScoringBudget {

    private static final double CAPACITY_NANOS = 1e9;

    private final double share;
    private double balance = CAPACITY_NANOS;
    private long last;

    ScoringBudget(double share, long nowNanos) {
        this.share = share;
        this.last = nowNanos;
    }

    /** 0 when a request may start now, else the nanoseconds until the budget is back above zero. */
    synchronized long waitNanos(long nowNanos) {
        refill(nowNanos);
        return balance >= 0 ? 0 : (long) Math.ceil(-balance / share);
    }

    /** Records scoring work that took {@code nanos}. */
    synchronized void spend(long nanos, long nowNanos) {
        refill(nowNanos);
        balance -= nanos;
    }

    private void refill(long nowNanos) {
        if (nowNanos > last) {
            balance = Math.min(CAPACITY_NANOS, balance + (nowNanos - last) * share);
            last = nowNanos;
        }
    }
}
