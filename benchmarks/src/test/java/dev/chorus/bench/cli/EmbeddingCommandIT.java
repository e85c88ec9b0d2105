package dev.chorus.bench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chorus-bench embedding} on the real engines, with a few answers: three engines in one JVM, taking turns. */
class EmbeddingCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path out;

    static BenchCommandIT.Run run;

    static JsonNode written;

    @BeforeAll
    static void compareThreeEnginesOnTwelveAnswers() throws Exception {
        run = BenchCommandIT.execute("embedding", "--engines", "chorus-fp32,chorus-fp32-cut128", "--answers", "12",
                "--rounds", "3", "--warmup", "0", "--out", out.toString());
        written = JSON.readTree(out.resolve("embedding-speed.json").toFile());
    }

    @Test
    void theBaselineComesFirstAtOneAndEveryEngineHasATimePerRound() {
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode engines = written.get("engines");
        assertThat(engines).extracting(e -> e.get("engine").asText())
                .containsExactly("langchain4j-fp32", "chorus-fp32", "chorus-fp32-cut128");
        assertThat(engines.get(0).get("speedupMedian").asDouble()).isEqualTo(1.0);
        for (JsonNode engine : engines) {
            assertThat(engine.get("secondsPerRound")).hasSize(3).allSatisfy(s -> assertThat(s.asDouble()).isPositive());
            assertThat(engine.get("speedupMedian").asDouble()).isBetween(engine.get("speedupMin").asDouble(),
                    engine.get("speedupMax").asDouble());
            assertThat(engine.get("sentencesPerSecond").asDouble())
                    .isEqualTo(12 / engine.get("medianSeconds").asDouble());
        }
        assertThat(run.out()).contains("langchain4j-fp32", "speed-up median", "1.00x [1.00, 1.00]");
    }

    @Test
    void ourUncutEngineReadsMoreTokensThanLangchain4jAndTheCutOneTheSame() {
        JsonNode engines = written.get("engines");
        long theirs = engines.get(0).get("tokensRead").asLong();
        assertThat(engines.get(1).get("tokensRead").asLong()).isGreaterThan(theirs);
        assertThat(engines.get(2).get("tokensRead").asLong()).isEqualTo(theirs);
    }

    @Test
    void eachRoundStartsWithADifferentEngine() {
        List<String> first = new ArrayList<>();
        for (String line : run.err().split("\n")) {
            if (line.startsWith("round ")) {
                first.add(line.split(" ")[2]);
            }
        }
        assertThat(first).containsExactly("langchain4j-fp32", "chorus-fp32", "chorus-fp32-cut128");
    }

    @Test
    void anUnknownEngineIsAUsageErrorThatNamesTheKnownOnes() {
        BenchCommandIT.Run bad = BenchCommandIT.execute("embedding", "--engines", "chorus-fp16", "--answers", "2");
        assertThat(bad.code()).isEqualTo(BenchCommand.EXIT_USAGE);
        assertThat(bad.err()).contains("Unknown engine 'chorus-fp16'", "chorus-fp32-cut128");
    }
}
