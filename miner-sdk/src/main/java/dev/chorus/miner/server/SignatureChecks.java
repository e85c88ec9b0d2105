package dev.chorus.miner.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Request signature checks, off the event loop and bounded. A public-key recovery costs up to a millisecond, and
 * anyone can send requests in a permitted validator's (public) name with forged signatures: before the check they
 * are indistinguishable from the validator's own. What still tells them apart is where they come from, so at most
 * {@code threads} checks run, the rest wait taken in turn from each sender ({@link SenderNetwork}), and when
 * {@code capacity} checks are running or waiting the sender with the most waiting loses its newest (possibly the
 * newcomer) with {@link Rejection#BUSY}. A sender flooding forgeries fills only its own share.
 */
final class SignatureChecks {

    private record Waiter(String sender, Runnable check, CompletableFuture<Void> result) {
        void run() {
            try {
                check.run();
                result.complete(null);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    private final Vertx vertx;
    private final Executor pool;
    private final int threads;
    private final int capacity;
    /** Waiting checks by sender address; the first address is served next, then goes to the back. */
    private final LinkedHashMap<String, ArrayDeque<Waiter>> waiting = new LinkedHashMap<>();
    private int waitingCount;
    private int running;

    /** @param pool runs the checks, on at least {@code threads} threads, and may run other work */
    SignatureChecks(Vertx vertx, Executor pool, int threads, int capacity) {
        this.vertx = vertx;
        this.pool = pool;
        this.threads = Math.min(threads, capacity);
        this.capacity = capacity;
    }

    /** Runs {@code check} when the sender's turn comes; fails with what it throws, or with BUSY when turned away. */
    Future<Void> verify(String sender, Runnable check) {
        Waiter waiter = new Waiter(sender, check, new CompletableFuture<>());
        Waiter turnedAway = null;
        boolean startNow = false;
        synchronized (this) {
            if (running < threads) {
                running++;
                startNow = true;
            } else if (running + waitingCount < capacity) {
                enqueue(waiter);
            } else {
                Map.Entry<String, ArrayDeque<Waiter>> busiest = busiest();
                ArrayDeque<Waiter> own = waiting.get(sender);
                if (busiest != null && busiest.getValue().size() > (own == null ? 0 : own.size())) {
                    turnedAway = busiest.getValue().pollLast();
                    waitingCount--;
                    if (busiest.getValue().isEmpty()) {
                        waiting.remove(busiest.getKey());
                    }
                    enqueue(waiter);
                } else {
                    turnedAway = waiter;
                }
            }
        }
        if (startNow) {
            start(waiter);
        }
        if (turnedAway != null) {
            turnedAway.result().completeExceptionally(new RefusedException(Rejection.BUSY, "all " + capacity
                    + " signature checks running or waiting; the sender (IP address, IPv6 /64) with the most waiting gives way"));
        }
        return Future.fromCompletionStage(waiter.result(), vertx.getOrCreateContext());
    }

    synchronized int waiting() {
        return waitingCount;
    }

    /**
     * Each check queues the next on the pool as it ends: handed over through the event loop, which a flood keeps
     * busy, checks would wait there while the pool idles; and one at a time they take turns with the other work on
     * the pool (the answers being signed) instead of holding its threads for as long as a flood lasts.
     */
    private void start(Waiter waiter) {
        pool.execute(() -> {
            waiter.run();
            Waiter next = nextOrStop();
            if (next != null) {
                start(next);
            }
        });
    }

    private synchronized Waiter nextOrStop() {
        Iterator<Map.Entry<String, ArrayDeque<Waiter>>> senders = waiting.entrySet().iterator();
        if (!senders.hasNext()) {
            running--;
            return null;
        }
        Map.Entry<String, ArrayDeque<Waiter>> first = senders.next();
        String sender = first.getKey();
        ArrayDeque<Waiter> queue = first.getValue();
        senders.remove();
        waitingCount--;
        Waiter next = queue.pollFirst();
        if (!queue.isEmpty()) {
            waiting.put(sender, queue);
        }
        return next;
    }

    private void enqueue(Waiter waiter) {
        waiting.computeIfAbsent(waiter.sender(), address -> new ArrayDeque<>()).addLast(waiter);
        waitingCount++;
    }

    private Map.Entry<String, ArrayDeque<Waiter>> busiest() {
        Map.Entry<String, ArrayDeque<Waiter>> busiest = null;
        for (Map.Entry<String, ArrayDeque<Waiter>> sender : waiting.entrySet()) {
            if (busiest == null || sender.getValue().size() > busiest.getValue().size()) {
                busiest = sender;
            }
        }
        return busiest;
    }
}
