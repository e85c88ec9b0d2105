package dev.chorus.chain.yuma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fixed-point helpers against subtensor's {@code tests/math.rs} and against a BigInteger
 * model of substrate-fixed's widening multiply and divide.
 */
class I32F32Test {

    private static final BigInteger I64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger I64_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** {@code (a << 32) / b} in i128, truncating toward zero; null where {@code checked_div} is None. */
    private static BigInteger referenceDiv(long a, long b) {
        if (b == 0) {
            return null;
        }
        BigInteger q = BigInteger.valueOf(a).shiftLeft(32).divide(BigInteger.valueOf(b));
        return q.compareTo(I64_MIN) < 0 || q.compareTo(I64_MAX) > 0 ? null : q;
    }

    /** {@code (a * b) >> 32} in i128 (arithmetic shift); null where {@code checked_mul} is None. */
    private static BigInteger referenceMul(long a, long b) {
        BigInteger p = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).shiftRight(32);
        return p.compareTo(I64_MIN) < 0 || p.compareTo(I64_MAX) > 0 ? null : p;
    }

    private static long randomOperand(SplittableRandom rng) {
        return switch (rng.nextInt(6)) {
            case 0 -> rng.nextLong();
            case 1 -> rng.nextLong(1L << 33);
            case 2 -> rng.nextLong(1L << 50) * (rng.nextBoolean() ? 1 : -1);
            case 3 -> (long) rng.nextInt(65536) << 32;
            case 4 -> rng.nextLong() >> rng.nextInt(64);
            default -> rng.nextBoolean() ? Long.MIN_VALUE + rng.nextInt(3) : Long.MAX_VALUE - rng.nextInt(3);
        };
    }

    @Test
    void divisionMatchesWideIntegerDivisionIncludingOverflowToZero() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int t = 0; t < 200_000; t++) {
            long a = randomOperand(rng);
            long b = randomOperand(rng);
            BigInteger expected = referenceDiv(a, b);
            assertThat(I32F32.safeDiv(a, b)).as("%d / %d", a, b).isEqualTo(expected == null ? 0 : expected.longValue());
            assertThat(I32F32.divFits(a, b)).as("%d / %d fits", a, b).isEqualTo(expected != null);
            if (b != 0) {
                long saturated = (a < 0) != (b < 0) ? I32F32.MIN : I32F32.MAX;
                assertThat(I32F32.saturatingDiv(a, b)).as("%d sat/ %d", a, b)
                        .isEqualTo(expected == null ? saturated : expected.longValue());
            }
        }
    }

    @Test
    void multiplicationFloorsAndSaturates() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int t = 0; t < 200_000; t++) {
            long a = randomOperand(rng);
            long b = randomOperand(rng);
            BigInteger expected = referenceMul(a, b);
            long saturated = (a < 0) != (b < 0) ? I32F32.MIN : I32F32.MAX;
            assertThat(I32F32.mul(a, b)).as("%d * %d", a, b)
                    .isEqualTo(expected == null ? saturated : expected.longValue());
            assertThat(I32F32.mulOrZero(a, b)).isEqualTo(expected == null ? 0 : expected.longValue());
        }
    }

    @Test
    void divisionByZeroIsZero() {
        assertThat(I32F32.safeDiv(I32F32.ONE, 0)).isZero();
        assertThat(I32F32.safeDiv(0, 0)).isZero();
    }

    @Test
    void quotientTooLargeForI32F32IsZeroNotSaturated() {
        // 2^31 / 2^-32 would be 2^63: the chain's safe_div returns 0 there
        assertThat(I32F32.safeDiv(1L << 62, 1)).isZero();
        assertThat(I32F32.saturatingDiv(1L << 62, 1)).isEqualTo(I32F32.MAX);
    }

    @Test
    void movingAverageIsAnI64F64RatioNotAnIntegerQuotient() {
        // test_math_fixed_overflow: 1 - 900000/1e6 equals I32F32::from_num(0.1)
        assertThat(I32F32.sub(I32F32.ONE, YumaEpoch.movingAverage(900_000))).isEqualTo(Fixed.ofDouble(0.1));
        assertThat(I32F32.sub(I32F32.ONE, YumaEpoch.movingAverage(900_000))).isEqualTo(429_496_730L);
        assertThat(YumaEpoch.movingAverage(-1L)).isEqualTo(I32F32.MAX);
    }

    @Test
    void kappaOfHalfTheU16RangeIsJustUnderOneHalf() {
        assertThat(I32F32.safeDiv(32767L << 32, I32F32.U16_MAX)).isEqualTo(2_147_450_879L);
        assertThat(I32F32.u16Proportion(65535)).isEqualTo(I32F32.ONE);
    }

    @Test
    void expSafeClampsToPlusMinusTwenty() {
        // test_math_exp_safe
        long twenty = 20L << 32;
        assertThat(I32F32.expSafe(0)).isEqualTo(I32F32.exp(0)).isEqualTo(I32F32.ONE);
        assertThat(I32F32.expSafe(I32F32.ONE)).isEqualTo(I32F32.exp(I32F32.ONE)).isEqualTo(22_802_600L << 9);
        assertThat(I32F32.expSafe(-twenty)).isEqualTo(I32F32.exp(-twenty));
        assertThat(I32F32.expSafe(-twenty - I32F32.ONE)).isEqualTo(I32F32.exp(-twenty));
        assertThat(I32F32.expSafe(I32F32.MIN)).isEqualTo(I32F32.exp(-twenty));
        assertThat(I32F32.expSafe(twenty)).isEqualTo(I32F32.exp(twenty));
        assertThat(I32F32.expSafe(twenty + I32F32.ONE)).isEqualTo(I32F32.exp(twenty));
        assertThat(I32F32.expSafe(I32F32.MAX)).isEqualTo(I32F32.exp(twenty));
    }

    /** substrate-fixed's exp read literally: thirty Taylor terms, each a floored product then a truncated quotient. */
    private static long referenceExp(long x) {
        if (x == 0) {
            return I32F32.ONE;
        }
        if (x == I32F32.ONE) {
            return 22_802_600L << 9;
        }
        BigInteger operand = BigInteger.valueOf(Math.abs(x));
        BigInteger result = operand.add(BigInteger.ONE.shiftLeft(32));
        BigInteger term = operand;
        for (int i = 2; i < 32; i++) {
            term = term.multiply(operand).shiftRight(32);
            term = term.shiftLeft(32).divide(BigInteger.valueOf(i).shiftLeft(32));
            result = result.add(term);
        }
        long value = result.longValueExact();
        return x < 0 ? referenceDiv(I32F32.ONE, value).longValueExact() : value;
    }

    @Test
    void expMatchesTheLiteralSeriesAcrossTheSafeRange() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int t = 0; t < 20_000; t++) {
            long x = rng.nextLong(-(20L << 32), (20L << 32) + 1);
            assertThat(I32F32.exp(x)).as("exp(%d)", x).isEqualTo(referenceExp(x));
        }
    }

    @Test
    void smallDivisorsDivideExactly() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int t = 0; t < 200_000; t++) {
            long value = rng.nextLong() >>> rng.nextInt(1, 64);
            int d = rng.nextInt(2, 32);
            assertThat(I32F32.divideBySmall(value, d)).as("%d / %d", value, d).isEqualTo(value / d);
        }
    }

    @Test
    void expSeriesIsAccurateWhereItsThirtyTermsSuffice() {
        for (double x : new double[] {-5, -2.5, -0.5, 0.25, 2, 5}) {
            assertThat(I32F32.toDouble(I32F32.exp(Fixed.ofDouble(x)))).as("exp(%s)", x)
                    .isCloseTo(Math.exp(x), within(1e-8 * Math.max(1, Math.exp(x))));
        }
    }

    @Test
    void liquidAlphaForAFullAgreementIsNearItsLowEnd() {
        // spec §3.11 worked check: w = 1, b = 0, c = 1 with AlphaValues (6553, 19660) gives about 0.10133
        long low = I32F32.u16Proportion(6553);
        long high = I32F32.u16Proportion(19660);
        long slope = I32F32.saturatingDiv(1000L << 32, -100L << 32);
        long alpha = LiquidAlpha.alpha(I32F32.ONE, I32F32.ONE, 0, low, high, slope);
        assertThat(I32F32.toDouble(alpha)).isCloseTo(0.10133, within(1e-5));
    }

    @Test
    void proportionsToU16Floor() {
        // test_fixed_proportion_to_u16 and its saturating twin
        assertThat(I32F32.proportionToU16(Fixed.ofDouble(0.5))).isEqualTo(32767);
        assertThat(I32F32.proportionToU16(I32F32.ONE)).isEqualTo(65535);
        assertThat(I32F32.proportionToU16(I32F32.MAX)).isEqualTo(65535);
        assertThat(I32F32.proportionToU16(-I32F32.ONE)).isZero();
        assertThat(I32F32.toU16(70000L << 32)).isEqualTo(65535);
    }

    @Test
    void roundGoesHalfAwayFromZero() {
        assertThat(I32F32.round(Fixed.ofDouble(2.5))).isEqualTo(3L << 32);
        assertThat(I32F32.round(Fixed.ofDouble(2.4999))).isEqualTo(2L << 32);
        assertThat(I32F32.round(Fixed.ofDouble(-2.5))).isEqualTo(-3L << 32);
        assertThat(I32F32.round(Fixed.ofDouble(-2.4))).isEqualTo(-2L << 32);
    }

    @Test
    void topKKeepsTheLargestAndBreaksTiesByUid() {
        // test_math_is_topk on the non-zero variant the epoch uses
        long[] ascending = Fixed.vec(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f);
        assertThat(YumaEpoch.topKNonZero(ascending, 0)).containsOnly(false);
        assertThat(YumaEpoch.topKNonZero(ascending, 5))
                .containsExactly(false, false, false, false, false, true, true, true, true, true);
        assertThat(YumaEpoch.topKNonZero(ascending, 10))
                .containsExactly(false, true, true, true, true, true, true, true, true, true);
        assertThat(YumaEpoch.topKNonZero(ascending, 100))
                .containsExactly(false, true, true, true, true, true, true, true, true, true);
        assertThat(YumaEpoch.topKNonZero(Fixed.vec(9f, 0f, 8f, 1f, 7f, 2f, 6f, 3f, 5f, 4f), 5))
                .containsExactly(true, false, true, false, true, false, true, false, true, false);
        assertThat(YumaEpoch.topKNonZero(Fixed.vec(.9f, 0f, .8f, .1f, .7f, .2f, .6f, .3f, .5f, .4f), 5))
                .containsExactly(true, false, true, false, true, false, true, false, true, false);
        assertThat(YumaEpoch.topKNonZero(Fixed.vec(0f, 1f, 2f, 3f, 4f, 5f, 5f, 5f, 5f, 6f), 5))
                .containsExactly(false, false, false, false, false, true, true, true, true, true);
    }
}
