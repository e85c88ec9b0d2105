package dev.chorus.scoring.embedding;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class JavaDotProductsTest {

    private final DotProducts products = JavaDotProducts.INSTANCE;

    /** Random unit vectors, as an embedding model returns. */
    static float[][] unitVectors(int count, int dimension, long seed) {
        Random random = new Random(seed);
        float[][] vectors = new float[count][dimension];
        for (float[] v : vectors) {
            double squares = 0;
            for (int d = 0; d < dimension; d++) {
                v[d] = (float) random.nextGaussian();
                squares += v[d] * v[d];
            }
            for (int d = 0; d < dimension; d++) {
                v[d] /= (float) Math.sqrt(squares);
            }
        }
        return vectors;
    }

    /** Every product against a double-precision sum; row counts that are and are not multiples of four. */
    static void assertProducts(DotProducts products, float[][] rows, float[][] columns) {
        double[][] result = products.between(rows, columns);
        assertThat(result).hasNumberOfRows(rows.length);
        for (int i = 0; i < rows.length; i++) {
            assertThat(result[i]).hasSize(columns.length);
            for (int j = 0; j < columns.length; j++) {
                assertThat(result[i][j]).as("row %d, column %d", i, j)
                        .isCloseTo(CosineSimilarity.dot(rows[i], columns[j]), within(1e-6));
            }
        }
    }

    static void assertGram(DotProducts products, float[][] vectors) {
        double[][] gram = products.gram(vectors);
        for (int a = 0; a < vectors.length; a++) {
            assertThat(gram[a][a]).isCloseTo(1, within(1e-6));
            for (int b = 0; b < vectors.length; b++) {
                assertThat(gram[a][b]).as("%d, %d", a, b).isEqualTo(gram[b][a])
                        .isCloseTo(CosineSimilarity.dot(vectors[a], vectors[b]), within(1e-6));
            }
        }
    }

    @Test
    void productsMatchDoublePrecisionSumsForEveryShape() {
        for (int rows : new int[]{1, 3, 4, 9}) {
            for (int columns : new int[]{1, 2, 17}) {
                assertProducts(products, unitVectors(rows, 384, rows), unitVectors(columns, 384, 100 + columns));
            }
        }
    }

    @Test
    void gramIsSymmetricWithUnitDiagonal() {
        for (int count : new int[]{1, 6, 33}) {
            assertGram(products, unitVectors(count, 384, count));
        }
    }

    @Test
    void noVectorsGiveNoProducts() {
        assertThat(products.between(new float[0][], unitVectors(3, 8, 1))).isEmpty();
        assertThat(products.between(unitVectors(2, 8, 1), new float[0][])).isDeepEqualTo(new double[2][0]);
        assertThat(products.gram(new float[0][])).isEmpty();
    }

    @Test
    void vectorsOfDifferentLengthsAreRefused() {
        assertThatThrownBy(() -> products.between(unitVectors(2, 384, 1), unitVectors(2, 768, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("384").hasMessageContaining("768");
        assertThatThrownBy(() -> products.gram(new float[][]{new float[4], new float[5]}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
