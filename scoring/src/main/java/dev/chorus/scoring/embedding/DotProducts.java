package dev.chorus.scoring.embedding;

/**
 * Every dot product between two lists of equal-length vectors: for the unit vectors an {@link EmbeddingModel}
 * returns, the cosine of each pair. Scoring a round of m answers takes m² of them, the bulk of its arithmetic.
 * Implementations are thread-safe and blocking.
 */
@FunctionalInterface
public interface DotProducts {

    /**
     * {@code result[i][j] = rows[i] · columns[j]}, summed in single precision.
     *
     * @throws IllegalArgumentException when the vectors differ in length
     */
    double[][] between(float[][] rows, float[][] columns);

    /** The Gram matrix {@code between(vectors, vectors)}, exactly symmetric. */
    default double[][] gram(float[][] vectors) {
        double[][] gram = between(vectors, vectors);
        for (int a = 0; a < gram.length; a++) {
            for (int b = a + 1; b < gram.length; b++) {
                gram[b][a] = gram[a][b];
            }
        }
        return gram;
    }

    /** The length all vectors share, or 0 when there are none. */
    static int dimensionOf(float[][] rows, float[][] columns) {
        int dimension = rows.length > 0 ? rows[0].length : columns.length > 0 ? columns[0].length : 0;
        for (float[][] vectors : new float[][][]{rows, columns}) {
            for (float[] v : vectors) {
                if (v.length != dimension) {
                    throw new IllegalArgumentException("Vectors differ in length: " + dimension + " and " + v.length);
                }
            }
        }
        return dimension;
    }
}
