package dev.chorus.miner.server;

import dev.chorus.chain.Metagraph;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetagraphCacheTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-06-01T00:00:00Z"));
    private final InstantSource clock = () -> now.get();
    private final AtomicBoolean chainDown = new AtomicBoolean();
    private final Metagraph graph = new Metagraph(7, 1, List.of());
    private final MetagraphCache cache = new MetagraphCache(() -> {
        if (chainDown.get()) {
            throw new IOException("connection refused");
        }
        return graph;
    }, Duration.ofMinutes(10), clock);

    @Test
    void refusesUntilTheFirstReadSucceeds() {
        chainDown.set(true);
        assertThat(cache.refresh()).as("for the operator's log").get().asString().contains("connection refused");
        assertThatThrownBy(cache::current).isInstanceOfSatisfying(RefusedException.class, e -> {
            assertThat(e.reason()).isEqualTo(Rejection.METAGRAPH_UNAVAILABLE);
            assertThat(e.detail()).contains("has not read the metagraph").doesNotContain("connection refused");
        });
    }

    @Test
    void keepsServingTheLastGoodCopyWhileTheChainIsDownWithinTheLimit() {
        cache.refresh();
        chainDown.set(true);
        now.set(now.get().plus(Duration.ofMinutes(9)));
        assertThat(cache.refresh()).isPresent();
        assertThat(cache.current()).isSameAs(graph);
    }

    @Test
    void refusesOnceTheLastGoodCopyIsTooOldAndRecoversWhenTheChainReturns() {
        cache.refresh();
        chainDown.set(true);
        now.set(now.get().plus(Duration.ofMinutes(11)));
        cache.refresh();
        assertThatThrownBy(cache::current).isInstanceOfSatisfying(RefusedException.class,
                e -> assertThat(e.detail()).contains("660 s old").contains("600 s limit").doesNotContain("connection refused"));

        chainDown.set(false);
        assertThat(cache.refresh()).isEmpty();
        assertThat(cache.current()).isSameAs(graph);
    }
}
