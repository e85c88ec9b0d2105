package dev.chorus.bench.cli;

import dev.chorus.bench.metrics.Evaluation;
import dev.chorus.bench.replay.MinerOutcome;
import dev.chorus.bench.replay.ReplayResult;
import dev.chorus.bench.replay.ReplaySettings;
import dev.chorus.bench.replay.ValidatorOutcome;
import dev.chorus.bench.report.ReplayReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A run whose files cannot all be written still prints what it measured, and leaves no file half written. */
class OutputOptionsTest {

    private static ReplayReport report() {
        ReplayResult result = new ReplayResult("test", false, ReplaySettings.defaults(1, 10, false), 10, 10,
                List.of(new MinerOutcome(0, "hk0", 0.5, 0.5, 1, 1, 1, 1)), List.of(new ValidatorOutcome(1, false, 1_000_000, 1, 1)),
                List.of(new double[]{1}), List.of(new double[]{1}), Map.of(0, List.of(0.5)),
                new ReplayResult.RewardCheck(0, 0, 0, 0, 0));
        return new ReplayReport(result, new Evaluation(Map.of(Evaluation.UNKNOWN, 1.0), Double.NaN, 0, -1, 1), Map.of());
    }

    @Test
    void aChartThatCannotBeWrittenLeavesNoHalfFileAndTheTableIsStillPrinted(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("weight-heatmap.png"));
        StringWriter printed = new StringWriter();
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.create();
        new CommandLine(spec).setOut(new PrintWriter(printed));
        OutputOptions options = new OutputOptions();
        options.out = dir;
        ReplayReport report = report();

        assertThatThrownBy(() -> options.emit(spec, d -> report.write(d, ""), report.summary(), report.table()))
                .isInstanceOf(IOException.class).hasMessageContaining("weight-heatmap.png");

        assertThat(printed.toString()).isEqualTo(report.table());
        assertThat(dir.resolve("weight-heatmap.png")).isEmptyDirectory();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isNotEmpty()
                    .allSatisfy(f -> assertThat(Files.size(f)).as(f.toString()).isPositive())
                    .noneMatch(f -> f.getFileName().toString().endsWith(".part"));
        }
    }
}
