package dev.chorus.bench.scoring;

import dev.chorus.scoring.consensus.ConsensusScorer;
import dev.chorus.scoring.consensus.EmbeddedRound;
import dev.chorus.scoring.consensus.Round;
import dev.chorus.scoring.consensus.RoundAnswer;
import dev.chorus.scoring.consensus.RoundScores;
import dev.chorus.scoring.consensus.ScoringOptions;
import dev.chorus.scoring.embedding.EmbeddingOptions;
import dev.chorus.scoring.embedding.ModelVariant;
import dev.chorus.scoring.embedding.OnnxEmbeddingModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Time to score one round with its embeddings already computed: duplicate detection, the geometric median,
 * calibration and payouts. The answers are real embeddings of mixed-length texts, with a few exact copies; some
 * texts open with others (the generator draws sentences from one pool), so copied openings are found and judged too.
 * {@code products}: {@code onnx} computes the pairwise products on the model's ONNX Runtime, as the validator's
 * {@code RoundScorer} does; {@code java} computes them in Java, for comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class ConsensusScorerBenchmark {

    @Param({"256"})
    public int answers;

    @Param({"onnx", "java"})
    public String products;

    private OnnxEmbeddingModel model;
    private ConsensusScorer scorer;
    private EmbeddedRound round;

    @Setup(Level.Trial)
    public void setUp() {
        model = OnnxEmbeddingModel.open(EmbeddingOptions.defaults().withVariant(ModelVariant.INT8));
        scorer = switch (products) {
            case "onnx" -> new ConsensusScorer(ScoringOptions.defaults(), model.dotProducts());
            case "java" -> new ConsensusScorer(ScoringOptions.defaults());
            default -> throw new IllegalArgumentException("products is onnx or java, not " + products);
        };
        List<String> texts = new ArrayList<>(MixedAnswers.generate(answers, 10, 300, 7, model::tokenCount));
        for (int copy = 0; copy < answers / 32; copy++) {
            texts.set(answers - 1 - copy, texts.get(copy));
        }
        List<RoundAnswer> roundAnswers = new ArrayList<>(answers);
        for (int uid = 0; uid < answers; uid++) {
            roundAnswers.add(RoundAnswer.answered(uid, texts.get(uid), Duration.ofMillis(500 + 13L * uid),
                    (uid % 10) / 10.0));
        }
        String query = "Explain a topic of your choice.";
        Round unembedded = new Round(query, roundAnswers);
        List<String> additionTexts = scorer.additionsToEmbed(unembedded);
        List<float[]> additionVectors = model.embed(additionTexts);
        Map<String, float[]> additions = new HashMap<>();
        for (int k = 0; k < additionTexts.size(); k++) {
            additions.put(additionTexts.get(k), additionVectors.get(k));
        }
        List<float[]> fixed = model.embed(List.of("", query));
        round = new EmbeddedRound(unembedded, model.embed(texts), fixed.get(0), fixed.get(1), null, additions);
        RoundScores check = scorer.score(round);
        if (check.consensus() == null || check.scores().size() != answers) {
            throw new IllegalStateException("The round did not produce a consensus over " + answers + " answers");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        model.close();
    }

    @Benchmark
    public RoundScores scoreRound() {
        return scorer.score(round);
    }
}
