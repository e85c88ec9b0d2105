package dev.chorus.chain.yuma;

/**
 * The chain's rules for the u16 weight values it stores ({@code vec_u16_max_upscale_to_u16},
 * {@code check_vec_max_limited}): what {@code set_weights} writes is what the epoch later reads.
 */
public final class StoredWeights {

    private static final long UPSCALE_THRESHOLD = 32768L << 32;

    private StoredWeights() {
    }

    /** Scales u16 values so the largest becomes 65535, rounding half away from zero, in the chain's fixed point. */
    public static int[] maxUpscale(int[] values) {
        long[] fixed = new long[values.length];
        for (int k = 0; k < values.length; k++) {
            fixed[k] = (long) values[k] << 32;
        }
        return maxUpscaleFixed(fixed);
    }

    /** {@code vec_max_upscale_to_u16} over I32F32 bits, the general form of {@link #maxUpscale}. */
    static int[] maxUpscaleFixed(long[] values) {
        int[] out = new int[values.length];
        long max = Long.MIN_VALUE;
        for (long v : values) {
            max = Math.max(max, v);
        }
        if (max == 0) {
            for (int k = 0; k < values.length; k++) {
                out[k] = I32F32.toU16(I32F32.mul(values[k], I32F32.U16_MAX));
            }
            return out;
        }
        long factor = I32F32.safeDiv(I32F32.U16_MAX, max);
        for (int k = 0; k < values.length; k++) {
            long scaled = max > UPSCALE_THRESHOLD
                    ? I32F32.mul(values[k], factor)
                    : I32F32.safeDiv(I32F32.mul(values[k], I32F32.U16_MAX), max);
            out[k] = I32F32.toU16(I32F32.round(scaled));
        }
        return out;
    }
}
