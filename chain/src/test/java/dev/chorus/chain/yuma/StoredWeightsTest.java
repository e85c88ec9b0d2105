package dev.chorus.chain.yuma;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code test_vec_max_upscale_to_u16} and {@code test_vec_u16_max_upscale_to_u16}. */
class StoredWeightsTest {

    private static int[] upscale(float... values) {
        return StoredWeights.maxUpscaleFixed(Fixed.vec(values));
    }

    @Test
    void maxUpscaleOfFixedPointVectors() {
        assertThat(upscale()).isEmpty();
        assertThat(upscale(0f)).containsExactly(0);
        assertThat(upscale(0f, 0f)).containsExactly(0, 0);
        assertThat(upscale(0f, 1f)).containsExactly(0, 65535);
        assertThat(upscale(0f, 0.000000001f)).containsExactly(0, 65535);
        assertThat(upscale(0f, 0.000016f, 1f)).containsExactly(0, 1, 65535);
        assertThat(upscale(0.000000001f, 0.000000001f)).containsExactly(65535, 65535);
        assertThat(upscale(0.000001f, 0.000006f, 0.000007f, 0.0001f, 0.001f, 0.01f, 0.1f, 0.2f, 0.3f, 0.4f))
                .containsExactly(0, 1, 1, 16, 164, 1638, 16384, 32768, 49151, 65535);
        assertThat(StoredWeights.maxUpscaleFixed(new long[] {16384L << 32})).containsExactly(65535);
        assertThat(StoredWeights.maxUpscaleFixed(new long[] {32768L << 32})).containsExactly(65535);
        assertThat(StoredWeights.maxUpscaleFixed(new long[] {32769L << 32})).containsExactly(65535);
        assertThat(StoredWeights.maxUpscaleFixed(new long[] {65535L << 32})).containsExactly(65535);
        assertThat(StoredWeights.maxUpscaleFixed(new long[] {I32F32.MAX})).containsExactly(65535);
        assertThat(upscale(0f, 1f, 65535f)).containsExactly(0, 1, 65535);
        assertThat(upscale(0f, 0.5f, 1f, 1.5f, 2f, 32768f)).containsExactly(0, 1, 2, 3, 4, 65535);
        assertThat(upscale(0f, 0.5f, 1f, 1.5f, 2f, 32768f, 32769f)).containsExactly(0, 1, 2, 3, 4, 65533, 65535);
        assertThat(StoredWeights.maxUpscaleFixed(new long[] {0, 1L << 32, 32768L << 32, 32769L << 32, I32F32.MAX}))
                .containsExactly(0, 0, 1, 1, 65535);
    }

    @Test
    void maxUpscaleOfStoredU16Rows() {
        assertThat(StoredWeights.maxUpscale(new int[] {})).isEmpty();
        assertThat(StoredWeights.maxUpscale(new int[] {0})).containsExactly(0);
        assertThat(StoredWeights.maxUpscale(new int[] {0, 0})).containsExactly(0, 0);
        assertThat(StoredWeights.maxUpscale(new int[] {1})).containsExactly(65535);
        assertThat(StoredWeights.maxUpscale(new int[] {0, 1})).containsExactly(0, 65535);
        assertThat(StoredWeights.maxUpscale(new int[] {65534})).containsExactly(65535);
        assertThat(StoredWeights.maxUpscale(new int[] {65535})).containsExactly(65535);
        assertThat(StoredWeights.maxUpscale(new int[] {65535, 65535})).containsExactly(65535, 65535);
        assertThat(StoredWeights.maxUpscale(new int[] {0, 1, 65534})).containsExactly(0, 1, 65535);
        assertThat(StoredWeights.maxUpscale(new int[] {0, 1, 2, 3, 4, 65533, 65535}))
                .containsExactly(0, 1, 2, 3, 4, 65533, 65535);
        assertThat(StoredWeights.maxUpscale(new int[] {43690, 21845})).containsExactly(65535, 32768);
        assertThat(StoredWeights.maxUpscale(new int[] {16383, 32767, 49149, 65535}))
                .containsExactly(16383, 32767, 49149, 65535);
    }
}
