package dev.chorus.miner.server;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The concurrency limit with a stake-ordered waiting room: at most {@code maxConcurrency} handler
 * calls run; up to {@code maxQueued} more wait, highest stake first; when the room is full the
 * lowest-stake waiter (possibly the newcomer) is turned away with {@link Rejection#BUSY}.
 */
final class HandlerSlots {

    /**
     * One admitted query: what to run when a slot frees, and how to turn it away. It holds a slot from the moment it
     * starts until {@link #release(Ticket)}, which frees that slot once however often it is called.
     */
    static final class Ticket {
        private final BigInteger stake;
        private final long sequence;
        private final Consumer<Ticket> start;
        private final Consumer<RefusedException> refuse;
        private final AtomicBoolean started = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();

        Ticket(BigInteger stake, long sequence, Consumer<Ticket> start, Consumer<RefusedException> refuse) {
            this.stake = stake;
            this.sequence = sequence;
            this.start = start;
            this.refuse = refuse;
        }
    }

    private static final Comparator<Ticket> PRIORITY = Comparator
            .comparing((Ticket t) -> t.stake).reversed()
            .thenComparingLong(t -> t.sequence);

    private final int maxConcurrent;
    private final int maxQueued;
    private final TreeSet<Ticket> waiting = new TreeSet<>(PRIORITY);
    private final AtomicLong sequence = new AtomicLong();
    private int running;

    HandlerSlots(int maxConcurrent, int maxQueued) {
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
    }

    /** {@code start} is given its own ticket, to release when its query is done. */
    Ticket ticket(BigInteger stake, Consumer<Ticket> start, Consumer<RefusedException> refuse) {
        return new Ticket(stake, sequence.incrementAndGet(), start, refuse);
    }

    void submit(Ticket ticket) {
        Ticket turnedAway = null;
        boolean startNow = false;
        synchronized (this) {
            if (running < maxConcurrent) {
                running++;
                startNow = true;
            } else if (waiting.size() < maxQueued) {
                waiting.add(ticket);
            } else if (!waiting.isEmpty() && PRIORITY.compare(ticket, waiting.last()) < 0) {
                turnedAway = waiting.pollLast();
                waiting.add(ticket);
            } else {
                turnedAway = ticket;
            }
        }
        if (startNow) {
            start(ticket);
        }
        if (turnedAway != null) {
            turnedAway.refuse.accept(new RefusedException(Rejection.BUSY,
                    "all " + maxConcurrent + " handler slots busy and " + maxQueued + " waiting"));
        }
    }

    /**
     * Frees the slot {@code ticket} holds, if it started and has not freed it yet, and starts the highest-stake
     * waiter, if any.
     */
    void release(Ticket ticket) {
        if (!ticket.started.get() || !ticket.released.compareAndSet(false, true)) {
            return;
        }
        Ticket next;
        synchronized (this) {
            next = waiting.pollFirst();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            start(next);
        }
    }

    /**
     * A start that throws gives its slot back and is refused, so that it strands neither its own query nor the one
     * whose release handed it the slot (a release runs on the finishing query's path, before its answer is sent).
     */
    private void start(Ticket ticket) {
        ticket.started.set(true);
        try {
            ticket.start.accept(ticket);
        } catch (RuntimeException e) {
            MinerLog.handlerNotStarted(e);
            release(ticket);
            ticket.refuse.accept(new RefusedException(Rejection.MINER_FAILED, "the miner could not start on this query"));
        }
    }

    /** Removes a waiter whose deadline passed; false if it already started or was turned away. */
    synchronized boolean withdraw(Ticket ticket) {
        return waiting.remove(ticket);
    }

    synchronized int running() {
        return running;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
