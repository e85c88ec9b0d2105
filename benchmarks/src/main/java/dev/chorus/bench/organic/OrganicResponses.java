package dev.chorus.bench.organic;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The flood's answers by HTTP status, counted from many client threads. A 429 is the budget or a limit refusing, which
 * the benchmark expects; any other status other than 200 (a 503 with no miner serving, a 500) is something else and
 * is counted apart, so it cannot pass for a refusal.
 */
final class OrganicResponses {

    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();

    void count(int status) {
        byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    long ok() {
        return of(200);
    }

    long rateLimited() {
        return of(429);
    }

    /** Every status other than 200 and 429, with its count, by status. */
    Map<Integer, Long> other() {
        Map<Integer, Long> other = new TreeMap<>();
        byStatus.forEach((status, n) -> {
            if (status != 200 && status != 429) {
                other.put(status, n.sum());
            }
        });
        return other;
    }

    private long of(int status) {
        LongAdder n = byStatus.get(status);
        return n == null ? 0 : n.sum();
    }
}
