package dev.chorus.bench.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Numbers as the reports print them: six decimals, half-even, so equal runs give equal bytes. */
final class Fixed {

    static final int DECIMALS = 6;

    private Fixed() {
    }

    /** For JSON: a plain decimal, or null where the value is not a number. */
    static BigDecimal json(double value) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).setScale(DECIMALS, RoundingMode.HALF_EVEN) : null;
    }

    /** For CSV: a plain decimal, or empty where the value is not a number. */
    static String csv(double value) {
        return Double.isFinite(value) ? json(value).toPlainString() : "";
    }

    /** For tables: three decimals, or n/a where the value is not defined. */
    static String ratio(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "n/a";
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
