package dev.chorus.scoring.embedding;

/** Cosine similarity of embeddings, summed in double; the result lies in [-1, 1]. */
public final class CosineSimilarity {

    private static final double EPSILON = 1e-12;

    private CosineSimilarity() {
    }

    /**
     * Cosine of the angle between {@code a} and {@code b}; 0 when either is the zero vector, which has no direction.
     *
     * @throws IllegalArgumentException when the lengths differ
     */
    public static double between(float[] a, float[] b) {
        double dot = dot(a, b);
        double norms = Math.sqrt(dot(a, a) * dot(b, b));
        return norms < EPSILON ? 0 : Math.max(-1, Math.min(1, dot / norms));
    }

    /**
     * Dot product, which is the cosine for unit vectors such as {@link EmbeddingModel} returns. Four independent
     * partial sums let the CPU overlap the additions, which matters when scoring builds a Gram matrix.
     *
     * @throws IllegalArgumentException when the lengths differ
     */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("Vectors differ in length: " + a.length + " and " + b.length);
        }
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (int end = a.length - 3; i < end; i += 4) {
            s0 += (double) a[i] * b[i];
            s1 += (double) a[i + 1] * b[i + 1];
            s2 += (double) a[i + 2] * b[i + 2];
            s3 += (double) a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += (double) a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
