package dev.chorus.validator.hardening;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key-leak scan can fail: a key planted in a log line, in any spelling, is found. */
class LogSecretScanTest {

    private static final Logger LOG = LoggerFactory.getLogger(LogSecretScanTest.class);
    /** Made-up keys, so that the console of a test run never shows a real one. */
    private static final List<String> KEYS = List.of("0x" + "1f".repeat(32), "0x" + "a2".repeat(32), "c3".repeat(32));

    @Test
    void findsAPlantedKeyInAMessageWithOrWithoutPrefixInAnyCase() {
        String bare = KEYS.get(1).replaceFirst("^0x", "");
        try (LogSecretScan scan = LogSecretScan.start()) {
            LOG.info("nothing secret here, account {}", "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
            assertThat(LogSecretScan.leaked(scan.text(), KEYS)).isEmpty();
            LOG.warn("signing with KEY=0X{}", bare.toUpperCase(Locale.ROOT));
            assertThat(LogSecretScan.leaked(scan.text(), KEYS)).containsExactly(1);
        }
        assertThat(LogSecretScan.leaked("key " + bare, KEYS)).containsExactly(1);
    }

    @Test
    void findsAKeyInAStackTrace() {
        try (LogSecretScan scan = LogSecretScan.start()) {
            LOG.error("could not sign", new IllegalStateException("bad key " + KEYS.get(2)));
            assertThat(scan.events()).isEqualTo(1);
            assertThat(LogSecretScan.leaked(scan.text(), KEYS)).containsExactly(2);
        }
    }

    @Test
    void refusesSomethingThatIsNotAKey() {
        assertThatThrownBy(() -> LogSecretScan.leaked("text", List.of("0x1234"))).isInstanceOf(IllegalArgumentException.class);
    }
}
