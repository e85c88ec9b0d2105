package dev.chorus.chain.yuma;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code test_math_weighted_median}, {@code test_math_weighted_median_col} and its sparse twin. */
class WeightedMedianTest {

    private static final long ONE = I32F32.ONE;

    private static long median(long[] stake, long[] score, long minority) {
        int n = stake.length;
        return WeightedMedian.median(stake, score, 0, n, minority, 0, YumaEpoch.sum(stake), new int[n], new int[n],
                new int[n]);
    }

    private static long medianAtMajority(float[] stake, float[] score, float majority) {
        return median(Fixed.vec(stake), Fixed.vec(score), ONE - Fixed.of(majority));
    }

    @Test
    void smallStakeWeightedMedians() {
        assertThat(median(new long[0], new long[0], ONE - Fixed.of(0.51f))).isZero();
        long[] single = Fixed.vec(0.51f);
        YumaEpoch.normalize(single);
        assertThat(median(single, Fixed.vec(1f), ONE - Fixed.of(0.51f))).isEqualTo(ONE);
        assertThat(medianAtMajority(new float[] {.49f, .51f}, new float[] {.5f, 1f}, .51f)).isEqualTo(ONE);
        assertThat(medianAtMajority(new float[] {.51f, .49f}, new float[] {.5f, 1f}, .51f)).isEqualTo(Fixed.of(.5f));
        assertThat(medianAtMajority(new float[] {.49f, 0f, .51f}, new float[] {.5f, .7f, 1f}, .51f)).isEqualTo(ONE);
        assertThat(medianAtMajority(new float[] {.49f, .01f, .5f}, new float[] {.5f, .7f, 1f}, .51f))
                .isEqualTo(Fixed.of(.7f));
        assertThat(medianAtMajority(new float[] {.49f, .51f, 0f}, new float[] {.5f, .7f, 1f}, .51f))
                .isEqualTo(Fixed.of(.7f));
        assertThat(medianAtMajority(new float[] {0f, .49f, .51f}, new float[] {.5f, .7f, 1f}, .51f)).isEqualTo(ONE);
        assertThat(medianAtMajority(new float[] {0f, .49f, 0f, .51f}, new float[] {.5f, .5f, 1f, 1f}, .51f))
                .isEqualTo(ONE);
        assertThat(medianAtMajority(new float[] {0f, .49f, 0f, .51f, 0f}, new float[] {.5f, .5f, 1f, 1f, .5f}, .51f))
                .isEqualTo(ONE);
        assertThat(medianAtMajority(new float[] {.2f, .2f, .2f, .2f, .2f}, new float[] {.8f, .2f, 1f, .6f, .4f}, .51f))
                .isEqualTo(Fixed.of(.6f));
        assertThat(medianAtMajority(new float[] {.1f, .1f, .1f, .1f, .1f, .1f, .1f, .1f, .1f, .1f},
                new float[] {.8f, .8f, .2f, .2f, 1f, 1f, .6f, .6f, .4f, .4f}, .51f)).isEqualTo(Fixed.of(.6f));
    }

    /** The randomized part of test_math_weighted_median: the result is one of the scores at the minority point. */
    @Test
    void randomMediansSitAtTheMinorityPointUnderAnyPermutation() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 100;
        for (float majorityValue : new float[] {0f, 0.0000001f, .25f, .49f, .5f, .51f, .9999999f, 1f}) {
            long majority = Fixed.of(majorityValue);
            for (boolean allowEqual : new boolean[] {false, true}) {
                long[] stake = new long[n];
                long[] score = new long[n];
                long last = 0;
                for (int i = 0; i < n; i++) {
                    if (allowEqual) {
                        stake[i] = rng.nextBoolean() ? ONE : 0;
                        last += rng.nextBoolean() ? ONE : 0;
                        score[i] = last;
                    } else {
                        stake[i] = ONE;
                        score[i] = (long) i << 32;
                    }
                }
                YumaEpoch.normalize(stake);
                long total = YumaEpoch.sum(stake);
                long minority = Math.max(0, total - majority);
                List<Long> medians = new ArrayList<>();
                long medianStake = 0;
                boolean medianSet = false;
                long running = 0;
                for (int i = 0; i < n; i++) {
                    running += stake[i];
                    if (!medianSet && running >= minority) {
                        medianStake = running;
                        medianSet = true;
                    }
                    if (medianSet) {
                        if (medianStake < running) {
                            if (medianStake == minority && !medians.contains(score[i])) {
                                medians.add(score[i]);
                            }
                            break;
                        }
                        if (!medians.contains(score[i])) {
                            medians.add(score[i]);
                        }
                    }
                }
                if (medians.isEmpty()) {
                    medians.add(0L);
                }
                assertThat(medians).contains(median(stake, score, minority));
                for (int shuffle = 0; shuffle < 10; shuffle++) {
                    for (int i = n - 1; i > 0; i--) {
                        int j = rng.nextInt(i + 1);
                        long s = stake[i];
                        stake[i] = stake[j];
                        stake[j] = s;
                        long c = score[i];
                        score[i] = score[j];
                        score[j] = c;
                    }
                    assertThat(medians).contains(median(stake, score, minority));
                }
            }
        }
    }

    private static SparseMatrix rows(int columns, float... dense) {
        int rows = dense.length / columns;
        SparseMatrix m = SparseMatrix.empty(rows);
        for (int i = 0; i < rows; i++) {
            int kept = 0;
            for (int j = 0; j < columns; j++) {
                if (dense[i * columns + j] > 0) {
                    kept++;
                }
            }
            int[] c = new int[kept];
            long[] v = new long[kept];
            int at = 0;
            for (int j = 0; j < columns; j++) {
                if (dense[i * columns + j] > 0) {
                    c[at] = j;
                    v[at++] = Fixed.of(dense[i * columns + j]);
                }
            }
            m.cols[i] = c;
            m.vals[i] = v;
        }
        return m;
    }

    @Test
    void columnMediansOverPositiveStakeRows() {
        assertThat(WeightedMedian.columns(new long[0], SparseMatrix.empty(1), 0, Fixed.of(.5f))).isEmpty();
        assertThat(WeightedMedian.columns(Fixed.vec(0f, 0f), rows(2, 0f, 0f, 0f, 0f), 2, Fixed.of(.5f)))
                .containsExactly(0, 0);

        SparseMatrix weights = rows(3, 0f, .1f, 0f, 0f, .2f, .4f, 0f, .3f, .1f, 0f, .4f, .5f);
        long[] stake = Fixed.vec(0f, .75f, .25f, 0f);
        assertThat(WeightedMedian.columns(stake, weights, 3, Fixed.of(.24f))).containsExactly(Fixed.vec(0f, .3f, .4f));
        assertThat(WeightedMedian.columns(stake, weights, 3, Fixed.of(.26f))).containsExactly(Fixed.vec(0f, .2f, .4f));
        assertThat(WeightedMedian.columns(stake, weights, 3, Fixed.of(.76f))).containsExactly(Fixed.vec(0f, .2f, .1f));

        SparseMatrix other = rows(3, 0f, .1f, 0f, 0f, .2f, .4f, 0f, .3f, .1f, 0f, 0f, .5f);
        assertThat(WeightedMedian.columns(Fixed.vec(0f, .3f, .2f, .5f), other, 3, Fixed.of(.51f)))
                .containsExactly(Fixed.vec(0f, 0f, .4f));
    }
}
