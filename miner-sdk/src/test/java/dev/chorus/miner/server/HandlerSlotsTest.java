package dev.chorus.miner.server;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class HandlerSlotsTest {

    private final Map<String, HandlerSlots.Ticket> started = new LinkedHashMap<>();
    private final Map<String, Rejection> refused = new LinkedHashMap<>();

    private HandlerSlots.Ticket ticket(HandlerSlots slots, String name, long stake) {
        return slots.ticket(BigInteger.valueOf(stake), t -> started.put(name, t), e -> refused.put(name, e.reason()));
    }

    /** A ticket whose start throws, as a miner whose lookup fails before its call is under way. */
    private HandlerSlots.Ticket throwing(HandlerSlots slots, String name, long stake) {
        return slots.ticket(BigInteger.valueOf(stake), t -> {
            throw new IllegalStateException(name + " failed to start");
        }, e -> refused.put(name, e.reason()));
    }

    private void finish(HandlerSlots slots, String name) {
        slots.release(started.get(name));
    }

    @Test
    void runsUpToTheLimitThenServesWaitersHighestStakeFirst() {
        HandlerSlots slots = new HandlerSlots(1, 3);
        slots.submit(ticket(slots, "first", 10));
        slots.submit(ticket(slots, "low", 1));
        slots.submit(ticket(slots, "high", 100));
        slots.submit(ticket(slots, "mid", 50));
        assertThat(started).containsOnlyKeys("first");

        finish(slots, "first");
        finish(slots, "high");
        finish(slots, "mid");

        assertThat(started.keySet()).containsExactly("first", "high", "mid", "low");
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

        assertThat(refused).containsExactly(Map.entry("a", Rejection.BUSY), Map.entry("minnow", Rejection.BUSY));
        finish(slots, "running");
        assertThat(started.keySet()).containsExactly("running", "whale");
    }

    @Test
    void withdrawnWaiterNeverStartsAndFreedSlotsAreCounted() {
        HandlerSlots slots = new HandlerSlots(1, 4);
        slots.submit(ticket(slots, "running", 10));
        HandlerSlots.Ticket late = ticket(slots, "late", 10);
        slots.submit(late);

        assertThat(slots.withdraw(late)).isTrue();
        slots.release(late);
        finish(slots, "running");

        assertThat(started).containsOnlyKeys("running");
        assertThat(slots.running()).isZero();
        assertThat(slots.waiting()).isZero();
    }

    @Test
    void aTicketReleasedTwiceFreesOneSlot() {
        HandlerSlots slots = new HandlerSlots(2, 4);
        slots.submit(ticket(slots, "a", 10));
        slots.submit(ticket(slots, "b", 10));

        finish(slots, "a");
        finish(slots, "a");

        assertThat(slots.running()).isEqualTo(1);
    }

    @Test
    void aStartThatThrowsIsRefusedAndFreesItsSlot() {
        HandlerSlots slots = new HandlerSlots(1, 4);

        assertThatCode(() -> slots.submit(throwing(slots, "broken", 10))).doesNotThrowAnyException();

        assertThat(refused).containsExactly(Map.entry("broken", Rejection.MINER_FAILED));
        assertThat(slots.running()).isZero();
        slots.submit(ticket(slots, "next", 10));
        assertThat(started).containsOnlyKeys("next");
    }

    @Test
    void aWaiterWhoseStartThrowsDoesNotStrandTheReleaseThatStartedItNorTheWaitersBehindIt() {
        HandlerSlots slots = new HandlerSlots(1, 4);
        slots.submit(ticket(slots, "running", 10));
        slots.submit(throwing(slots, "broken", 100));
        slots.submit(ticket(slots, "patient", 1));

        // The finishing query's answer is sent after this release: a throw escaping it would lose that answer.
        assertThatCode(() -> finish(slots, "running")).doesNotThrowAnyException();

        assertThat(refused).containsExactly(Map.entry("broken", Rejection.MINER_FAILED));
        assertThat(started.keySet()).containsExactly("running", "patient");
        assertThat(slots.running()).isEqualTo(1);
        assertThat(slots.waiting()).isZero();
    }
}
