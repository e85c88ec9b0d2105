package dev.chorus.scoring.consensus;

import dev.chorus.scoring.embedding.DotProducts;
import dev.chorus.scoring.embedding.EmbeddingModel;
import dev.chorus.scoring.embedding.JavaDotProducts;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RoundScorerTest {

    /** Embeds a text by its letters' counts; its products are counted, then computed in Java. */
    private static final class LetterCountModel implements EmbeddingModel {
        final AtomicInteger productCalls = new AtomicInteger();

        @Override
        public List<float[]> embed(List<String> texts) {
            return texts.stream().map(LetterCountModel::letterCounts).toList();
        }

        private static float[] letterCounts(String text) {
            float[] v = new float[27];
            v[26] = 1;
            text.toLowerCase().chars().filter(c -> c >= 'a' && c <= 'z').forEach(c -> v[c - 'a']++);
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            for (int d = 0; d < v.length; d++) {
                v[d] /= (float) Math.sqrt(norm);
            }
            return v;
        }

        @Override
        public DotProducts dotProducts() {
            return (rows, columns) -> {
                productCalls.incrementAndGet();
                return JavaDotProducts.INSTANCE.between(rows, columns);
            };
        }

        @Override
        public int dimension() {
            return 27;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theModelComputesTheRoundsProducts() {
        LetterCountModel model = new LetterCountModel();
        ConsensusScorer inJava = new ConsensusScorer(ScoringOptions.defaults());
        Round round = new Round("Why is the sky blue?", List.of(
                RoundAnswer.answered(1, "Air scatters blue light more than red light.", Duration.ofMillis(300), 0.5),
                RoundAnswer.answered(2, "Rayleigh scattering: short wavelengths scatter most.", Duration.ofMillis(400), 0.5),
                RoundAnswer.answered(3, "Because blue light is scattered by the air.", Duration.ofMillis(500), 0.5)));

        RoundScores scores = new RoundScorer(model, inJava).score(round);

        assertThat(model.productCalls).hasPositiveValue();
        RoundScores expected = inJava.score(round, model.embed(List.of("")).get(0), model::embed);
        assertThat(scores.scores()).isEqualTo(expected.scores());
    }
}
