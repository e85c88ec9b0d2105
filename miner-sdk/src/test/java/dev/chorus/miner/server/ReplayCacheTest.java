package dev.chorus.miner.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayCacheTest {

    @Test
    void remembersAPairUntilItExpires() {
        ReplayCache cache = new ReplayCache(16);
        assertThat(cache.remember("0xa", "u1", 1_000, 0)).isTrue();
        assertThat(cache.seen("0xa", "u1", 999)).isTrue();
        assertThat(cache.remember("0xa", "u1", 2_000, 500)).isFalse();
        assertThat(cache.seen("0xb", "u1", 500)).as("uuids are per signer").isFalse();
        assertThat(cache.seen("0xa", "u1", 1_001)).isFalse();
    }

    @Test
    void fullOfLiveEntriesRefusesInsteadOfForgetting() {
        ReplayCache cache = new ReplayCache(16);
        for (int i = 0; i < 16; i++) {
            cache.remember("0xa", "u" + i, 10_000, 0);
        }
        assertThatThrownBy(() -> cache.remember("0xa", "new", 10_000, 1))
                .isInstanceOfSatisfying(RefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Rejection.REPLAY_CACHE_FULL));
        assertThat(cache.seen("0xa", "u0", 1)).isTrue();
    }

    @Test
    void fullCacheMakesRoomByDroppingExpiredEntries() {
        ReplayCache cache = new ReplayCache(16);
        for (int i = 0; i < 16; i++) {
            cache.remember("0xa", "u" + i, i < 8 ? 100 : 10_000, 0);
        }
        assertThat(cache.remember("0xa", "new", 10_000, 200)).isTrue();
        assertThat(cache.size()).isEqualTo(9);
    }
}
