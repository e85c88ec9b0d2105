package dev.chorus.scoring.embedding;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CosineSimilarityTest {

    @Test
    void parallelOppositeAndOrthogonal() {
        float[] a = {1, 2, 3, 4, 5};
        assertThat(CosineSimilarity.between(a, new float[]{2, 4, 6, 8, 10})).isCloseTo(1.0, within(1e-12));
        assertThat(CosineSimilarity.between(a, new float[]{-1, -2, -3, -4, -5})).isCloseTo(-1.0, within(1e-12));
        assertThat(CosineSimilarity.between(new float[]{1, 0, 0}, new float[]{0, 3, 0})).isZero();
    }

    @Test
    void zeroVectorHasNoDirection() {
        assertThat(CosineSimilarity.between(new float[3], new float[]{1, 2, 3})).isZero();
    }

    @Test
    void dotHandlesLengthsNotMultipleOfFour() {
        assertThat(CosineSimilarity.dot(new float[]{1, 2, 3, 4, 5, 6, 7}, new float[]{1, 1, 1, 1, 1, 1, 2}))
                .isEqualTo(35.0);
    }

    @Test
    void differentLengthsAreRejected() {
        assertThatThrownBy(() -> CosineSimilarity.between(new float[2], new float[3]))
                .hasMessageContaining("2 and 3");
    }
}
