package dev.chorus.miner.server;

import ch.qos.logback.classic.Level;
import dev.chorus.miner.testing.LogCapture;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalNoticesTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final RefusalNotices notices = new RefusalNotices(nanos::get);

    @Test
    void aFloodOfOneKindMakesOneLineAMinuteThatCountsTheRest() {
        try (LogCapture log = new LogCapture()) {
            notices.refused(Rejection.UNKNOWN_SIGNER, "signer 0xaa is not registered on subnet 7");
            for (int i = 0; i < 41; i++) {
                nanos.addAndGet(1_000_000_000L);
                notices.refused(Rejection.UNKNOWN_SIGNER, "signer 0xbb is not registered on subnet 7");
            }
            notices.refused(Rejection.DEADLINE_EXCEEDED, "the miner did not answer within 300 ms");
            nanos.addAndGet(RefusalNotices.INTERVAL.toNanos());
            notices.refused(Rejection.UNKNOWN_SIGNER, "signer 0xcc is not registered on subnet 7");

            assertThat(log.lines(Level.WARN)).satisfiesExactly(
                    first -> assertThat(first).contains("UNKNOWN_SIGNER", "0xaa").doesNotContain("more since"),
                    other -> assertThat(other).contains("DEADLINE_EXCEEDED", "300 ms"),
                    next -> assertThat(next).contains("0xcc", "and 41 more since the last such line"));
        }
    }

    @Test
    void anUnregisteredValidatorIsToldToRegisterBeforeItStakes() {
        try (LogCapture log = new LogCapture()) {
            notices.refused(Rejection.UNKNOWN_SIGNER, "signer 0xaa is not registered on subnet 7");
            notices.refused(Rejection.NO_VALIDATOR_PERMIT, "signer 0xbb holds no validator permit on subnet 7");

            assertThat(log.lines(Level.WARN)).satisfiesExactly(
                    unknown -> assertThat(unknown).contains("register its hotkey (chorus chain register), stake it"),
                    noPermit -> assertThat(noPermit).contains("stake its hotkey (chorus chain stake)")
                            .doesNotContain("chain register"));
        }
    }

    @Test
    void refusalsThatSayNothingAboutThisMinerAreOnlyCounted() {
        try (LogCapture log = new LogCapture()) {
            notices.refused(Rejection.NOT_FOUND, "no such path; queries go to POST /v1/query");
            notices.refused(Rejection.BAD_SIGNATURE, "signature does not match Epistula-Signed-By");
            notices.refused(Rejection.MISSING_HEADER, "missing header Epistula-Version");

            assertThat(log.lines(Level.WARN)).isEmpty();
        }
    }
}
