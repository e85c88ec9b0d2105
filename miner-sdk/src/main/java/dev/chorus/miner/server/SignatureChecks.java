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
 * {@code threads} checks run and the rest wait, taken in turn from each sender network ({@link SenderNetwork}: an IPv4
 * address or an IPv6 /64) and, within a network, from each address. When {@code capacity} checks are running or
 * waiting, the busiest network gives way, and within it the busiest address, losing its newest (possibly the
 * newcomer) with {@link Rejection#BUSY}. A host flooding forgeries from every address of its /64 fills only its
 * network's share; a flooder that shares a /64 with a validator (some hosts give each machine less than a /64)
 * fills only its own address's share of that network.
 */
final class SignatureChecks {

    private record Waiter(String network, String address, Runnable check, CompletableFuture<Void> result) {
        /** Runs the check; returns what it threw, or null. */
        Throwable run() {
            try {
                check.run();
                return null;
            } catch (RuntimeException | Error e) {
                // An Error too must fail the request and let start() hand the thread on: escaping, it would leave the
                // request unanswered and the count of running checks one too high for the server's lifetime.
                return e;
            }
        }

        void finish(Throwable failure) {
            if (failure == null) {
                result.complete(null);
            } else {
                result.completeExceptionally(failure);
            }
        }
    }

    /** One network's waiting checks by address; the first address is served next, then goes to the back. */
    private static final class Network {
        final LinkedHashMap<String, ArrayDeque<Waiter>> byAddress = new LinkedHashMap<>();
        int waiting;

        ArrayDeque<Waiter> busiest() {
            ArrayDeque<Waiter> busiest = null;
            for (ArrayDeque<Waiter> queue : byAddress.values()) {
                if (busiest == null || queue.size() > busiest.size()) {
                    busiest = queue;
                }
            }
            return busiest;
        }

        int waitingFrom(String address) {
            ArrayDeque<Waiter> queue = byAddress.get(address);
            return queue == null ? 0 : queue.size();
        }
    }

    private final Vertx vertx;
    private final Executor pool;
    private final int threads;
    private final int capacity;
    /** Waiting checks by sender network; the first network is served next, then goes to the back. */
    private final LinkedHashMap<String, Network> waiting = new LinkedHashMap<>();
    private int waitingCount;
    private int running;

    /** @param pool runs the checks, on at least {@code threads} threads, and may run other work */
    SignatureChecks(Vertx vertx, Executor pool, int threads, int capacity) {
        this.vertx = vertx;
        this.pool = pool;
        this.threads = Math.min(threads, capacity);
        this.capacity = capacity;
    }

    /**
     * Runs {@code check} when the sender's turn comes; fails with what it throws, or with BUSY when turned away.
     *
     * @param sender the numeric address the request came from
     */
    Future<Void> verify(String sender, Runnable check) {
        Waiter waiter = new Waiter(SenderNetwork.of(sender), String.valueOf(sender), check, new CompletableFuture<>());
        Waiter turnedAway = null;
        boolean startNow = false;
        synchronized (this) {
            if (running < threads) {
                running++;
                startNow = true;
            } else if (running + waitingCount < capacity) {
                enqueue(waiter);
            } else {
                turnedAway = giveWayTo(waiter);
            }
        }
        if (startNow) {
            start(waiter);
        }
        if (turnedAway != null) {
            turnedAway.result().completeExceptionally(new RefusedException(Rejection.BUSY, "all " + capacity
                    + " signature checks running or waiting; the busiest sender (IP address, IPv6 /64) gives way"));
        }
        return Future.fromCompletionStage(waiter.result(), vertx.getOrCreateContext());
    }

    synchronized int waiting() {
        return waitingCount;
    }

    /**
     * Full: the newest check of the busiest address of the busiest network makes room for {@code newcomer}, unless
     * the newcomer's own address is that busiest one (or ties with it), which then loses the newcomer itself.
     * Returns the check turned away.
     */
    private Waiter giveWayTo(Waiter newcomer) {
        Network busiest = null;
        for (Network network : waiting.values()) {
            if (busiest == null || network.waiting > busiest.waiting) {
                busiest = network;
            }
        }
        Network own = waiting.get(newcomer.network());
        ArrayDeque<Waiter> victims = null;
        if (busiest != null && busiest.waiting > (own == null ? 0 : own.waiting)) {
            victims = busiest.busiest();
        } else if (own != null && own.busiest().size() > own.waitingFrom(newcomer.address())) {
            victims = own.busiest();
        }
        if (victims == null) {
            return newcomer;
        }
        Waiter victim = victims.pollLast();
        forget(victim, victims);
        enqueue(newcomer);
        return victim;
    }

    /**
     * Each check queues the next on the pool as it ends: handed over through the event loop, which a flood keeps
     * busy, checks would wait there while the pool idles; and one at a time they take turns with the other work on
     * the pool (the answers being signed) instead of holding its threads for as long as a flood lasts.
     */
    private void start(Waiter waiter) {
        pool.execute(() -> {
            Throwable failure = waiter.run();
            Waiter next = nextOrStop();
            // Completed only once its place is given up: completed before, a sender acting on the outcome at once
            // could find every place still taken and be turned away as BUSY (SignatureChecksTest did, under load).
            waiter.finish(failure);
            if (next != null) {
                start(next);
            }
        });
    }

    private synchronized Waiter nextOrStop() {
        Iterator<Map.Entry<String, Network>> networks = waiting.entrySet().iterator();
        if (!networks.hasNext()) {
            running--;
            return null;
        }
        Map.Entry<String, Network> first = networks.next();
        Network network = first.getValue();
        Iterator<Map.Entry<String, ArrayDeque<Waiter>>> addresses = network.byAddress.entrySet().iterator();
        Map.Entry<String, ArrayDeque<Waiter>> firstAddress = addresses.next();
        ArrayDeque<Waiter> queue = firstAddress.getValue();
        Waiter next = queue.pollFirst();
        addresses.remove();
        if (!queue.isEmpty()) {
            network.byAddress.put(firstAddress.getKey(), queue);
        }
        networks.remove();
        network.waiting--;
        waitingCount--;
        if (network.waiting > 0) {
            waiting.put(first.getKey(), network);
        }
        return next;
    }

    private void enqueue(Waiter waiter) {
        Network network = waiting.computeIfAbsent(waiter.network(), key -> new Network());
        network.byAddress.computeIfAbsent(waiter.address(), address -> new ArrayDeque<>()).addLast(waiter);
        network.waiting++;
        waitingCount++;
    }

    /** Bookkeeping for {@code removed}, just taken out of {@code queue} (its address's queue). */
    private void forget(Waiter removed, ArrayDeque<Waiter> queue) {
        Network network = waiting.get(removed.network());
        network.waiting--;
        waitingCount--;
        if (queue.isEmpty()) {
            network.byAddress.remove(removed.address());
        }
        if (network.waiting == 0) {
            waiting.remove(removed.network());
        }
    }
}
