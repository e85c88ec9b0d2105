package dev.chorus.validator.demo;

import dev.chorus.validator.state.RoundLog;
import dev.chorus.validator.state.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM (Ctrl-C's SIGINT is handled alike) while {@code chorus demo} runs its tempos, validators scoring: the
 * network is closed before the JVM shuts down, so the validators save their state and the model still works for
 * the rounds in flight, nothing the demo started (Anvil) outlives it, and the exit status says the run was cut short. Before, the signal went straight to the
 * JVM's shutdown, which has ONNX Runtime release its environment under any round still scoring.
 */
class DemoStopIT {

    private static Process launchDemo(Path dir, Path log, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djava.io.tmpdir=" + dir, "-cp", System.getProperty("java.class.path"),
                "dev.chorus.cli.ChorusCommand", "demo"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    @Test
    void sigtermMidRunClosesTheNetworkSavesTheValidatorsAndLeavesNothingRunning(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Path log = dir.resolve("demo.log");
        Process demo = launchDemo(dir, log, "--state-dir", state.toString(), "--tempos", "100");
        try {
            Path firstRounds = state.resolve(DemoNetwork.VALIDATOR_FOLDER + "0").resolve(RoundLog.FILE_NAME);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (!Files.exists(firstRounds) || Files.size(firstRounds) == 0) {
                assertThat(demo.isAlive()).as("demo alive; its output:%n%s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("a first round logged within 180 s").isLessThan(until);
                Thread.sleep(100);
            }
            List<ProcessHandle> started = demo.toHandle().descendants().toList();
            assertThat(started).as("Anvil, started by the demo").isNotEmpty();

            demo.destroy();
            assertThat(demo.waitFor(150, TimeUnit.SECONDS)).as("stopped within 150 s").isTrue();
            String written = Files.readString(log);
            assertThat(written).as("the JVM did not crash").doesNotContain("SIGSEGV", "A fatal error");
            assertThat(demo.exitValue()).as("exit status, as a shell reports a run SIGTERM ended; output:%n%s", written)
                    .isEqualTo(128 + 15);
            assertThat(written).contains("demo stopped by a signal before its report; round logs and state so far: " + state)
                    .doesNotContain("demo failed", "did not stop cleanly");
            for (ProcessHandle process : started) {
                assertThat(process.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("process %d of the demo", process.pid())
                        .isFalse();
            }
            try (var folders = Files.list(state)) {
                List<Path> validators = folders.filter(p -> p.getFileName().toString()
                        .startsWith(DemoNetwork.VALIDATOR_FOLDER)).toList();
                assertThat(validators).isNotEmpty().allSatisfy(folder -> assertThat(folder.resolve(StateFile.FILE_NAME))
                        .as("the state each validator saved as it stopped").isRegularFile());
            }
        } finally {
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermAfterTheReportOfKeepRunningStopsTheNetworkAndExits0(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("demo.log");
        Process demo = launchDemo(dir, log, "--keep-running", "--tempos", "1");
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (!Files.readString(log).contains("press Ctrl-C to stop")) {
                assertThat(demo.isAlive()).as("demo alive; its output:%n%s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("the network up within 240 s").isLessThan(until);
                Thread.sleep(100);
            }
            List<ProcessHandle> started = demo.toHandle().descendants().toList();
            demo.destroy();
            assertThat(demo.waitFor(150, TimeUnit.SECONDS)).as("stopped within 150 s").isTrue();
            String written = Files.readString(log);
            assertThat(written).as("the JVM did not crash").doesNotContain("SIGSEGV", "A fatal error");
            assertThat(demo.exitValue()).as("exit status; output:%n%s", written).isZero();
            assertThat(written).doesNotContain("demo stopped by a signal before its report", "demo failed",
                    "did not stop cleanly");
            for (ProcessHandle process : started) {
                assertThat(process.onExit().get(10, TimeUnit.SECONDS).isAlive()).as("process %d of the demo", process.pid())
                        .isFalse();
            }
        } finally {
            demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
