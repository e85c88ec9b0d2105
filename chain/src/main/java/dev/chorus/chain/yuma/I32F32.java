package dev.chorus.chain.yuma;

/**
 * substrate-fixed's {@code I32F32} (v0.6.0) as static operations on its raw {@code long} bits
 * (value = bits / 2^32). Kept as raw longs so the epoch runs on primitive arrays without boxing.
 *
 * <p>Semantics follow the Rust crate exactly: multiplication floors the wide product (arithmetic
 * shift), division truncates toward zero, {@code safeDiv} yields 0 on division by zero <em>and</em>
 * on overflow, and saturating operations clamp to [{@link #MIN}, {@link #MAX}].
 */
public final class I32F32 {

    public static final long ONE = 1L << 32;
    public static final long MAX = Long.MAX_VALUE;
    public static final long MIN = Long.MIN_VALUE;
    /** 65535 as an integer value: the scale of every stored u16 proportion. */
    public static final long U16_MAX = 65535L << 32;
    /** substrate-fixed's {@code consts::E} narrowed to I9F23, which {@code exp(1)} returns verbatim. */
    static final long E_I9F23 = 22802600L << 9;
    private static final long EXP_SAFE_BOUND = 20L << 32;
    private static final double[] RECIPROCALS = new double[32];

    static {
        for (int d = 1; d < RECIPROCALS.length; d++) {
            RECIPROCALS[d] = 1.0 / d;
        }
    }

    private I32F32() {
    }

    /** {@code saturating_from_num} of a non-negative integer. */
    public static long fromInt(long value) {
        if (value > Integer.MAX_VALUE || value < 0) {
            return MAX;
        }
        return value << 32;
    }

    /** {@code saturating_from_num} of a signed integer. */
    public static long fromSigned(long value) {
        if (value > Integer.MAX_VALUE) {
            return MAX;
        }
        if (value < Integer.MIN_VALUE) {
            return MIN;
        }
        return value << 32;
    }

    public static long add(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? MIN : MAX;
        }
        return r;
    }

    public static long sub(long a, long b) {
        long r = a - b;
        if (((a ^ b) & (a ^ r)) < 0) {
            return a < 0 ? MIN : MAX;
        }
        return r;
    }

    /** True when {@code floor(a*b / 2^32)} fits in 64 bits, i.e. {@code checked_mul} succeeds. */
    static boolean mulFits(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long top = hi >> 31;
        return top == 0 || top == -1;
    }

    private static long mulRaw(long a, long b) {
        return (Math.multiplyHigh(a, b) << 32) | ((a * b) >>> 32);
    }

    /** {@code saturating_mul}. */
    public static long mul(long a, long b) {
        if (!mulFits(a, b)) {
            return (a < 0) != (b < 0) ? MIN : MAX;
        }
        return mulRaw(a, b);
    }

    /** {@code checked_mul(..).unwrap_or_default()}: 0 on overflow. */
    public static long mulOrZero(long a, long b) {
        return mulFits(a, b) ? mulRaw(a, b) : 0;
    }

    /** {@code safe_div}: {@code checked_div(..).unwrap_or_default()}, so 0 when b is 0 or the quotient overflows. */
    public static long safeDiv(long a, long b) {
        if (b == 0) {
            return 0;
        }
        long shifted = a << 32;
        if (shifted >> 32 == a && shifted != Long.MIN_VALUE) {
            return shifted / b;
        }
        boolean negative = (a < 0) != (b < 0);
        long q = magnitudeQuotient(a < 0 ? -a : a, b < 0 ? -b : b);
        if (negative) {
            return Long.compareUnsigned(q, Long.MIN_VALUE) > 0 ? 0 : -q;
        }
        return q < 0 ? 0 : q;
    }

    /** True when {@code checked_div} would return a value (b non-zero and the quotient fits). */
    static boolean divFits(long a, long b) {
        if (b == 0) {
            return false;
        }
        long shifted = a << 32;
        if (shifted >> 32 == a && shifted != Long.MIN_VALUE) {
            return true;
        }
        long q = magnitudeQuotient(a < 0 ? -a : a, b < 0 ? -b : b);
        return (a < 0) != (b < 0) ? Long.compareUnsigned(q, Long.MIN_VALUE) <= 0 : q >= 0;
    }

    /** {@code saturating_div}; the callers never divide by zero, where Rust would panic. */
    public static long saturatingDiv(long a, long b) {
        if (b == 0) {
            throw new ArithmeticException("I32F32 division by zero");
        }
        long shifted = a << 32;
        if (shifted >> 32 == a && shifted != Long.MIN_VALUE) {
            return shifted / b;
        }
        long q = magnitudeQuotient(a < 0 ? -a : a, b < 0 ? -b : b);
        if ((a < 0) != (b < 0)) {
            return Long.compareUnsigned(q, Long.MIN_VALUE) > 0 ? MIN : -q;
        }
        return q < 0 ? MAX : q;
    }

    /** {@code checked_div}, throwing where Rust returns {@code None}. */
    static long checkedDiv(long a, long b) {
        if (!divFits(a, b)) {
            throw new ArithmeticException("I32F32 division overflow");
        }
        return safeDiv(a, b);
    }

    /**
     * floor(ua * 2^32 / ub) for unsigned 64-bit operands, or -1 (2^64 - 1, itself an overflow for
     * every caller) when the quotient does not fit in 64 bits.
     */
    static long magnitudeQuotient(long ua, long ub) {
        long hi = ua >>> 32;
        long lo = ua << 32;
        if (Long.compareUnsigned(hi, ub) >= 0) {
            return -1L;
        }
        if (hi == 0) {
            return Long.divideUnsigned(lo, ub);
        }
        return divideUnsigned128(hi, lo, ub);
    }

    /** (hi:lo) / v for hi < v, all unsigned; Knuth's algorithm D with 32-bit digits (Hacker's Delight divlu). */
    private static long divideUnsigned128(long hi, long lo, long v) {
        final long base = 1L << 32;
        final long mask = 0xFFFF_FFFFL;
        int s = Long.numberOfLeadingZeros(v);
        v <<= s;
        long vn1 = v >>> 32;
        long vn0 = v & mask;
        long un32 = s == 0 ? hi : (hi << s) | (lo >>> (64 - s));
        long un10 = lo << s;
        long un1 = un10 >>> 32;
        long un0 = un10 & mask;

        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, base) >= 0
                || Long.compareUnsigned(q1 * vn0, (rhat << 32) + un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0) {
                break;
            }
        }
        long un21 = (un32 << 32) + un1 - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, base) >= 0
                || Long.compareUnsigned(q0 * vn0, (rhat << 32) + un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, base) >= 0) {
                break;
            }
        }
        return (q1 << 32) + q0;
    }

    /** {@code saturating_to_num::<u16>()}: floor, clamped to 0..65535. */
    public static int toU16(long bits) {
        if (bits < 0) {
            return 0;
        }
        long integer = bits >> 32;
        return integer > 65535 ? 65535 : (int) integer;
    }

    /** {@code fixed_proportion_to_u16}: floor(x * 65535) clamped to u16. */
    public static int proportionToU16(long bits) {
        return toU16(mul(bits, U16_MAX));
    }

    /** {@code u16_proportion_to_fixed} / {@code fixed_to_fixed_u16_proportion} of an integer u16. */
    public static long u16Proportion(int value) {
        return safeDiv((long) value << 32, U16_MAX);
    }

    /** {@code round()}: to the nearest integer, ties away from zero. */
    public static long round(long bits) {
        long frac = bits & 0xFFFF_FFFFL;
        long floor = bits - frac;
        boolean up = bits >= 0 ? frac >= 0x8000_0000L : frac > 0x8000_0000L;
        if (!up) {
            return floor;
        }
        return floor > MAX - ONE ? MAX : floor + ONE;
    }

    /** substrate-fixed {@code transcendental::exp}: a 30-term Taylor series in I32F32, throwing on overflow. */
    static long exp(long x) {
        if (x == 0) {
            return ONE;
        }
        if (x == ONE) {
            return E_I9F23;
        }
        boolean negative = x < 0;
        if (negative) {
            if (x == MIN) {
                throw new ArithmeticException("exp operand overflow");
            }
            x = -x;
        }
        long result = Math.addExact(x, ONE);
        long term = x;
        for (int i = 2; i < 32 && term != 0; i++) {
            // once a term truncates to 0 every later one is 0 too, so stopping changes nothing
            long hi = Math.multiplyHigh(term, x);
            if (hi >>> 31 != 0) {
                throw new ArithmeticException("exp term overflow");
            }
            term = divideBySmall((hi << 32) | ((term * x) >>> 32), i);
            result = Math.addExact(result, term);
        }
        return negative ? checkedDiv(ONE, result) : result;
    }

    /**
     * floor(t / d) for 0 <= t and 2 <= d <= 31. Below 2^48 the product with a double reciprocal is
     * within one of the true quotient and one remainder check makes it exact; that is several times
     * faster than an integer divide on the exp series' dependency chain.
     */
    static long divideBySmall(long t, int d) {
        if (t >= 1L << 48) {
            return t / d;
        }
        long q = (long) (t * RECIPROCALS[d]);
        long r = t - q * d;
        if (r < 0) {
            return q - 1;
        }
        return r >= d ? q + 1 : q;
    }

    /** subtensor's {@code exp_safe}: input clamped to [-20, 20], overflow mapped to 0 or {@link #MAX}. */
    public static long expSafe(long x) {
        long clamped = Math.max(-EXP_SAFE_BOUND, Math.min(EXP_SAFE_BOUND, x));
        try {
            return exp(clamped);
        } catch (ArithmeticException overflow) {
            return clamped <= 0 ? 0 : MAX;
        }
    }

    public static double toDouble(long bits) {
        return bits / 4294967296.0;
    }
}
