package dev.chorus.validator.organic;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void allowsTheBurstThenRefillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(3, 60, 0);
        assertThat(bucket.tryTake(0)).isZero();
        assertThat(bucket.tryTake(0)).isZero();
        assertThat(bucket.tryTake(0)).isZero();
        assertThat(bucket.tryTake(0)).isEqualTo(SECOND);
        assertThat(bucket.tryTake(SECOND / 2)).isEqualTo(SECOND / 2);
        assertThat(bucket.tryTake(SECOND)).isZero();
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        TokenBucket bucket = new TokenBucket(2, 60, 0);
        long later = 3600 * SECOND;
        assertThat(bucket.tryTake(later)).isZero();
        assertThat(bucket.tryTake(later)).isZero();
        assertThat(bucket.tryTake(later)).isPositive();
    }
}
