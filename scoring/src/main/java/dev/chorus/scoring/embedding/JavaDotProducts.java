package dev.chorus.scoring.embedding;

import java.util.Arrays;

/**
 * Dot products computed in Java, for models that run no native library of their own (and for tests). A model on
 * ONNX Runtime hands out its library's matrix product instead ({@link OnnxEmbeddingModel#dotProducts()}), which is
 * about three times faster on the same CPU.
 */
public final class JavaDotProducts implements DotProducts {

    public static final JavaDotProducts INSTANCE = new JavaDotProducts();

    /** How many rows {@link #dots} multiplies with the columns in one pass. */
    private static final int ROWS_AT_ONCE = 4;

    private JavaDotProducts() {
    }

    @Override
    public double[][] between(float[][] rows, float[][] columns) {
        DotProducts.dimensionOf(rows, columns);
        return products(rows, columns, false);
    }

    /** Only the upper triangle is computed, then mirrored: half the work of {@link #between}. */
    @Override
    public double[][] gram(float[][] vectors) {
        DotProducts.dimensionOf(vectors, vectors);
        return products(vectors, vectors, true);
    }

    private static double[][] products(float[][] rows, float[][] columns, boolean symmetric) {
        double[][] products = new double[rows.length][columns.length];
        if (rows.length == 0 || columns.length == 0) {
            return products;
        }
        float[][] transposed = transposed(columns);
        float[][] sums = new float[ROWS_AT_ONCE][columns.length];
        for (int a = 0; a < rows.length; a += ROWS_AT_ONCE) {
            int count = Math.min(ROWS_AT_ONCE, rows.length - a);
            dots(rows, a, count, transposed, symmetric ? a : 0, sums);
            for (int r = 0; r < count; r++) {
                for (int b = symmetric ? a + r : 0; b < columns.length; b++) {
                    products[a + r][b] = sums[r][b];
                    if (symmetric) {
                        products[b][a + r] = sums[r][b];
                    }
                }
            }
        }
        return products;
    }

    /** The vectors as one row per dimension, for {@link #dots}. */
    private static float[][] transposed(float[][] vectors) {
        int dimension = vectors[0].length;
        float[][] transposed = new float[dimension][vectors.length];
        for (int b = 0; b < vectors.length; b++) {
            float[] v = vectors[b];
            for (int d = 0; d < dimension; d++) {
                transposed[d][b] = v[d];
            }
        }
        return transposed;
    }

    /**
     * {@code sums[r][b]} = {@code rows[first + r]} · column b, for {@code count} (at most {@link #ROWS_AT_ONCE}) rows
     * and every b from {@code from} on. Laid out as "for each dimension, add scaled copies of one row of the
     * transposed columns" so the innermost loop has no carried sum and the JIT turns it into SIMD instructions; the
     * rows are taken four at a time so each row of the transposed columns is read once for four of them. Shapes that
     * keep more sums in registers ran faster on their own but were not vectorised at all once inlined into callers.
     */
    private static void dots(float[][] rows, int first, int count, float[][] transposed, int from, float[][] sums) {
        int m = sums[0].length;
        for (int r = 0; r < ROWS_AT_ONCE; r++) {
            Arrays.fill(sums[r], from, m, 0f);
        }
        float[] none = count < ROWS_AT_ONCE ? new float[transposed.length] : null;
        float[] v0 = rows[first];
        float[] v1 = count > 1 ? rows[first + 1] : none;
        float[] v2 = count > 2 ? rows[first + 2] : none;
        float[] v3 = count > 3 ? rows[first + 3] : none;
        float[] s0 = sums[0];
        float[] s1 = sums[1];
        float[] s2 = sums[2];
        float[] s3 = sums[3];
        for (int d = 0; d < transposed.length; d++) {
            float c0 = v0[d];
            float c1 = v1[d];
            float c2 = v2[d];
            float c3 = v3[d];
            float[] row = transposed[d];
            for (int b = from; b < m; b++) {
                float x = row[b];
                s0[b] += c0 * x;
                s1[b] += c1 * x;
                s2[b] += c2 * x;
                s3[b] += c3 * x;
            }
        }
    }
}
