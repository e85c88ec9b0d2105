package dev.chorus.chain.yuma;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Test inputs written as decimals, converted the way substrate-fixed's {@code from_num(f32)} does. */
final class Fixed {

    private static final BigDecimal SCALE = BigDecimal.valueOf(1L << 32);

    private Fixed() {
    }

    /** {@code I32F32::from_num(x as f32)}: the exact f32 value, rounded to nearest with ties to even. */
    static long of(float x) {
        return new BigDecimal(x).multiply(SCALE).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    static long[] vec(float... xs) {
        long[] out = new long[xs.length];
        for (int k = 0; k < xs.length; k++) {
            out[k] = of(xs[k]);
        }
        return out;
    }

    /** {@code I32F32::from_num(x as f64)}. */
    static long ofDouble(double x) {
        return new BigDecimal(x).multiply(SCALE).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }
}
