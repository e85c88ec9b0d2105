package dev.chorus.config;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Writes durations the way an operator writes them in the configuration ({@code 500ms}, {@code 12s}, {@code 2m}),
 * so messages and printed settings never show Java's {@code PT12S}.
 */
final class Durations {

    private static final long[] UNIT_MILLIS = {86_400_000, 3_600_000, 60_000, 1000};
    private static final String[] UNIT_NAMES = {"d", "h", "m", "s"};

    private Durations() {
    }

    static String format(Duration duration) {
        if (duration == null) {
            return "null";
        }
        if (duration.isZero()) {
            return "0s";
        }
        // BigDecimal because an ISO value (P99999999999D, PT0.0005S) may overflow long millis or not be whole ms.
        BigDecimal millis = BigDecimal.valueOf(duration.getSeconds()).scaleByPowerOfTen(3)
                .add(BigDecimal.valueOf(duration.getNano(), 6));
        for (int unit = 0; unit < UNIT_MILLIS.length; unit++) {
            BigDecimal[] quotient = millis.divideAndRemainder(BigDecimal.valueOf(UNIT_MILLIS[unit]));
            if (quotient[1].signum() == 0) {
                return quotient[0].toBigInteger() + UNIT_NAMES[unit];
            }
        }
        return millis.stripTrailingZeros().toPlainString() + "ms";
    }
}
