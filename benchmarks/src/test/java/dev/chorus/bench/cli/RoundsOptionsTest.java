package dev.chorus.bench.cli;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A truth file for other logs is named, with counts, rather than leaving every miner silently unknown. */
class RoundsOptionsTest {

    @Test
    void truthAndLogsNamingTheSameUidsNeedNoWarning() {
        assertThat(RoundsOptions.mismatch(Set.of(0, 1, 2), Set.of(0, 1, 2))).isEmpty();
    }

    @Test
    void truthOfOtherLogsIsWarnedAboutWithCounts() {
        assertThat(RoundsOptions.mismatch(Set.of(10, 11, 12), Set.of(0, 1, 2, 10))).hasValue("chorus-bench: the truth file"
                + " names 3 uids and the logs 4 miners, 1 in common: 3 logged miners count as unknown and 2 truth entries"
                + " are unused; is it the truth of these logs? (--truth FILE)");
    }

    @Test
    void oneOfEachIsCountedInTheSingular() {
        assertThat(RoundsOptions.mismatch(Set.of(10, 11), Set.of(10, 12))).hasValue("chorus-bench: the truth file"
                + " names 2 uids and the logs 2 miners, 1 in common: 1 logged miner counts as unknown and 1 truth entry"
                + " is unused; is it the truth of these logs? (--truth FILE)");
    }
}
