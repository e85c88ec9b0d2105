package dev.chorus.miner.server;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HandlerSlotsTest {

    private final List<String> started = new ArrayList<>();
    private final List<String> refused = new ArrayList<>();

    private HandlerSlots.Ticket ticket(HandlerSlots slots, String name, long stake) {
        return slots.ticket(BigInteger.valueOf(stake), () -> started.add(name), e -> {
            assertThat(e.reason()).isEqualTo(Rejection.BUSY);
            refused.add(name);
        });
    }

    @Test
    void runsUpToTheLimitThenServesWaitersHighestStakeFirst() {
        HandlerSlots slots = new HandlerSlots(1, 3);
        slots.submit(ticket(slots, "first", 10));
        slots.submit(ticket(slots, "low", 1));
        slots.submit(ticket(slots, "high", 100));
        slots.submit(ticket(slots, "mid", 50));
        assertThat(started).containsExactly("first");

        slots.release();
        slots.release();
        slots.release();

        assertThat(started).containsExactly("first", "high", "mid", "low");
        assertThat(refused).isEmpty();
    }

    @Test
    void fullWaitingRoomTurnsAwayTheLowestStake() {
        HandlerSlots slots = new HandlerSlots(1, 2);
        slots.submit(ticket(slots, "running", 10));
        slots.submit(ticket(slots, "a", 5));
        slots.submit(ticket(slots, "b", 20));

        slots.submit(ticket(slots, "whale", 1000));
        slots.submit(ticket(slots, "minnow", 1));

        assertThat(refused).containsExactly("a", "minnow");
        slots.release();
        assertThat(started).containsExactly("running", "whale");
    }

    @Test
    void withdrawnWaiterNeverStartsAndFreedSlotsAreCounted() {
        HandlerSlots slots = new HandlerSlots(1, 4);
        slots.submit(ticket(slots, "running", 10));
        HandlerSlots.Ticket late = ticket(slots, "late", 10);
        slots.submit(late);

        assertThat(slots.withdraw(late)).isTrue();
        slots.release();

        assertThat(started).containsExactly("running");
        assertThat(slots.running()).isZero();
        assertThat(slots.waiting()).isZero();
    }
}
