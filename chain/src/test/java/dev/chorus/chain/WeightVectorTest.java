package dev.chorus.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class WeightVectorTest {

    @Test
    void maxUpscalesWithPythonRoundingHalfToEven() {
        WeightVector v = WeightProcessing.convertWeightsAndUidsForEmit(new int[] {0, 1}, new double[] {43690, 21845});
        assertThat(v.values()).containsExactly(65535, 32768);
        WeightVector half = WeightProcessing.convertWeightsAndUidsForEmit(new int[] {3, 4, 5}, new double[] {1.0, 0.5, 0.25});
        assertThat(half.values()).containsExactly(65535, 32768, 16384);
    }

    @Test
    void zeroWeightsAreDroppedWithTheirUids() {
        WeightVector v = WeightVector.fromScores(new double[] {0.5, 0.0, 0.25, 0.0, 1.0}, 1);
        assertThat(v.uids()).containsExactly(0, 2, 4);
        assertThat(v.values()).containsExactly(32768, 16384, 65535);
    }

    @Test
    void allZeroScoresFallBackToUniform() {
        WeightVector v = WeightVector.fromScores(new double[4], 1);
        assertThat(v.uids()).containsExactly(0, 1, 2, 3);
        assertThat(v.values()).containsOnly(65535);
    }

    @Test
    void fewerNonZeroThanMinAllowedPadsEveryUid() {
        WeightVector v = WeightVector.fromScores(new double[] {0.0, 0.9, 0.0, 0.3, 0.0}, 3);
        assertThat(v.uids()).containsExactly(0, 1, 2, 3, 4);
        assertThat(v.values()).containsExactly(1, 65535, 1, 21845, 1);
    }

    @Test
    void aWeightThatRoundsToZeroStaysInTheVectorWhenTheChainNeedsItsLength() {
        double[] scores = {0, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 5e-6};
        WeightProcessing.Processed processed = WeightProcessing.processWeights(
                new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, scores, scores.length, 8, 1.0, 0);
        WeightVector sdk = WeightProcessing.convertWeightsAndUidsForEmit(processed.uids(), processed.weights());
        assertThat(sdk.uids()).as("the SDK's own vector, one short of min_allowed_weights").containsExactly(1, 2, 3, 4, 5, 6, 7);

        WeightVector v = WeightVector.fromScores(scores, 8);
        assertThat(v.uids()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(v.values().subList(0, 7)).isEqualTo(sdk.values());
        assertThat(v.values().get(7)).isZero();
        assertThat(WeightVector.fromScores(scores, 7).uids()).as("long enough without it").doesNotContain(8);
    }

    @Test
    void aScoreTooSmallForFloat32IsNoScore() {
        assertThat(WeightVector.anyPositive(new double[] {1e-46, 1e-46, 0})).isFalse();
        assertThat(WeightVector.anyPositive(new double[] {0, 1e-30})).isTrue();
    }

    @Test
    void normalizeMaxWeightCapsAtTheLimitAndSumsToOne() {
        double[] y = WeightProcessing.normalizeMaxWeight(new double[] {0.1, 0.2, 0.3, 0.4}, 0.3, true);
        assertThat(y).containsExactly(0.13333341479301453, 0.26666682958602905, 0.299999862909317, 0.299999862909317);
        double[] uniform = WeightProcessing.normalizeMaxWeight(new double[2000], 0.01, true);
        assertThat(uniform[0]).isEqualTo((double) (1f / 2000));
    }

    @Test
    void pairwiseSumMatchesNumpysFloat32Sum() {
        double[] values = new double[200];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (1.0 / (i + 3));
        }
        double sequential = 0;
        for (double v : values) {
            sequential = (float) (sequential + v);
        }
        // np.sum(np.float32(1/(i+3)) for i in range(200)) == 4.3879566 in float32 (a running float sum gives 4.3879585), while a running float sum drifts.
        assertThat(WeightProcessing.sum(values, true)).isEqualTo((double) 4.3879566f);
        assertThat(sequential).isNotEqualTo((double) 4.3879566f);
    }

    @Test
    void rejectsNegativeWeightsAndMismatchedLengths() {
        assertThatThrownBy(() -> WeightProcessing.convertWeightsAndUidsForEmit(new int[] {0, 1}, new double[] {1, -1}))
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> WeightProcessing.convertWeightsAndUidsForEmit(new int[] {0}, new double[] {1, 2}))
                .hasMessageContaining("same length");
        assertThatThrownBy(() -> new WeightVector(List.of(1, 1), List.of(5, 6))).hasMessageContaining("twice");
        assertThatThrownBy(() -> new WeightVector(List.of(1), List.of(70_000))).hasMessageContaining("0..65535");
    }

    static Stream<Arguments> sdkReferenceCases() throws Exception {
        try (InputStream in = WeightVectorTest.class.getResourceAsStream("/weights/sdk-reference.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Arguments> cases = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                cases.add(Arguments.of(c.get("name").asText(), c));
            }
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sdkReferenceCases")
    void reproducesTheSdkPipeline(String name, JsonNode c) {
        double[] scores = new double[c.get("scores").size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = c.get("scores").get(i).asDouble();
        }
        WeightVector v = WeightVector.fromScores(scores, c.get("minAllowedWeights").asInt(), c.get("maxWeightLimit").asDouble(),
                c.get("excludeQuantile").asInt());
        List<Integer> uids = new ArrayList<>();
        c.get("uids").forEach(u -> uids.add(u.asInt()));
        List<Integer> values = new ArrayList<>();
        c.get("values").forEach(u -> values.add(u.asInt()));
        assertThat(v.uids()).isEqualTo(uids);
        assertThat(v.values()).isEqualTo(values);
    }
}
