package dev.chorus.bench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM (Ctrl-C's SIGINT ends the JVM alike) while {@code chorus-bench scenario} runs without {@code --out}: the round
 * logs it keeps in a temporary folder go with it. Before, the JVM stopped without the run's cleanup and left them in
 * the temporary folder, megabytes a run.
 */
class ScenarioStopIT {

    private static final String TEMPORARY_PREFIX = "chorus-scenario";

    @Test
    void sigtermMidRunLeavesNoTemporaryRoundLogs(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path output = dir.resolve("scenario.log");
        Process scenario = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.chorus.bench.cli.BenchCommand", "scenario", "--rounds", "100000")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (firstLog(tmp).map(ScenarioStopIT::size).orElse(0L) == 0) {
                assertThat(scenario.isAlive()).as("scenario alive; its output:%n%s", Files.readString(output)).isTrue();
                assertThat(System.nanoTime()).as("a first round logged within 180 s").isLessThan(until);
                Thread.sleep(100);
            }

            scenario.destroy();

            assertThat(scenario.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
            assertThat(scenario.exitValue()).as("exit status; output:%n%s", Files.readString(output)).isEqualTo(128 + 15);
            try (Stream<Path> left = Files.list(tmp)) {
                assertThat(left.filter(p -> p.getFileName().toString().startsWith(TEMPORARY_PREFIX)))
                        .as("temporary round logs left behind").isEmpty();
            }
        } finally {
            scenario.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Optional<Path> firstLog(Path tmp) throws IOException {
        try (Stream<Path> entries = Files.list(tmp)) {
            List<Path> runs = entries.filter(p -> p.getFileName().toString().startsWith(TEMPORARY_PREFIX)).toList();
            return runs.stream().map(run -> run.resolve("validator-0").resolve("rounds.jsonl")).filter(Files::isRegularFile)
                    .findFirst();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException vanished) {
            return 0;
        }
    }
}
