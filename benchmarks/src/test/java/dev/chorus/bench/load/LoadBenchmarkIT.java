package dev.chorus.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.bench.cli.BenchCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short form of both load benchmarks, as CI runs them: the report is sane (every round completed, failures near
 * the scripted share and of the scripted kinds, heap and open files did not grow), not fast. Speed is read from the
 * full form in benchmarks/README.md, never asserted here.
 */
class LoadBenchmarkIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path out;

    @Test
    void shortValidatorLoadCompletesEveryRoundWithFlatHeapAndFiles() throws Exception {
        JsonNode report = JSON.readTree(run("load", "--miners", "64", "--rounds", "50", "--warmup", "5",
                "--checkpoint-every", "25", "--failure-rate", "0.04", "--json", "--out", out.toString()));

        assertThat(report.get("completedRounds").asInt()).isEqualTo(50);
        assertThat(report.get("queries").asInt()).isEqualTo(50 * 64);
        // 4 %: one miner of 64 refuses connections (1.6 %), the rest fail per query with HTTP 500 or by hanging.
        assertThat(report.get("failureShare").asDouble()).isBetween(0.025, 0.06);
        assertThat(report.get("failures").has("REFUSED")).isTrue();
        assertThat(report.get("failures").has("HTTP_500")).isTrue();
        assertThat(report.get("failures").has("TIMEOUT") || report.get("failures").has("HTTP_504"))
                .as("hung miners, seen as TIMEOUT or as the miner's own 504").isTrue();
        assertThat(report.at("/overheadMs/p50").asDouble()).isPositive();
        assertThat(report.at("/validatorCpuMsPerRound/mean").asDouble()).isPositive();
        JsonNode marks = report.get("checkpoints");
        assertThat(marks).hasSize(3);
        // Growth is read over the second half, not from the start: on a loaded machine the warm-up can end with every
        // query timed out (cold miners), so no connection is pooled yet, and the pool's 64 fill the next rounds.
        JsonNode half = marks.get(1);
        JsonNode last = marks.get(marks.size() - 1);
        assertThat(last.get("heapAfterGcMb").asDouble()).as("heap after GC").isLessThan(half.get("heapAfterGcMb").asDouble() * 1.5 + 16);
        assertThat(last.get("openFiles").asLong()).as("validator's open files").isLessThanOrEqualTo(half.get("openFiles").asLong() + 16);
        assertThat(last.get("minerFarmOpenFiles").asLong()).as("miners' open files").isLessThanOrEqualTo(half.get("minerFarmOpenFiles").asLong() + 16);
        assertThat(Files.readAllLines(out.resolve("rounds.csv"))).hasSize(51);
        assertThat(out.resolve("load.json")).exists();
    }

    @Test
    void shortMinerLoadAnswersEverySignedRequest() throws Exception {
        JsonNode report = JSON.readTree(run("miner-load", "--concurrency", "1,8", "--seconds", "2",
                "--warmup-seconds", "1", "--json", "--out", out.toString()));

        assertThat(report.get("steps")).hasSize(2);
        for (JsonNode step : report.get("steps")) {
            assertThat(step.get("errors").asLong()).as("refused or failed requests").isZero();
            assertThat(step.get("requests").asLong()).isPositive();
            assertThat(step.get("p99Ms").asDouble()).isGreaterThanOrEqualTo(step.get("p50Ms").asDouble());
        }
        assertThat(out.resolve("miner-load.json")).exists();
    }

    private static String run(String... args) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = BenchCommand.commandLine().setOut(new PrintWriter(stdout)).setErr(new PrintWriter(stderr)).execute(args);
        assertThat(code).as("exit code of %s, stderr: %s", List.of(args), stderr).isZero();
        return stdout.toString();
    }
}
