package dev.chorus.miner.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a process of its own: the stop runs before the JVM begins to shut down (when ONNX Runtime's hook would
 * release its native side under a model still running), a second SIGTERM does not cut it short, and the process then
 * ends with status 0; a stop that throws ends it with 1.
 */
class StopOnSignalIT {

    @Test
    void theStopRunsBeforeTheJvmShutsDownAndASecondSignalDoesNotCutItShort() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SlowStop.class.getName())
                .redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        CountDownLatch ready = new CountDownLatch(1);
        CountDownLatch stopping = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    if (line.equals("ready")) {
                        ready.countDown();
                    }
                    if (line.startsWith("stopping")) {
                        stopping.countDown();
                    }
                }
            } catch (java.io.IOException closed) {
                // the process ended
            }
        });
        try {
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("the process started").isTrue();
            // Through the handle: Process.destroy() would also close this side of the pipe, and the output with it.
            process.toHandle().destroy();
            assertThat(stopping.await(30, TimeUnit.SECONDS)).as("the stop began on SIGTERM; output:%n%s", output).isTrue();
            process.toHandle().destroy();

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ended after its stop").isTrue();
            reader.join(10_000);
            String printed;
            synchronized (output) {
                printed = output.toString();
            }
            assertThat(printed).contains("stopping; the JVM's shutdown has not begun", "stopped");
            assertThat(printed.indexOf("stopped")).as("the second SIGTERM let the stop finish")
                    .isGreaterThan(printed.indexOf("stopping"));
            assertThat(process.exitValue()).as(printed).isZero();
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStopThatThrowsStillEndsTheProcessWithStatus1AndSaysWhy(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("failing-stop.log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FailingStop.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("ready")) {
                assertThat(System.nanoTime()).as("started within 60 s; output:%n%s", Files.readString(log)).isLessThan(until);
                Thread.sleep(20);
            }
            process.destroy();

            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ended").isTrue();
            assertThat(Files.readString(log)).contains("the stop on SIGTERM failed; exiting all the same", "broken stop");
            assertThat(process.exitValue()).as(Files.readString(log)).isEqualTo(1);
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A stop that throws. */
    static final class FailingStop {
        public static void main(String[] args) throws InterruptedException {
            StopOnSignal.install("failing-stop", () -> {
                throw new IllegalStateException("broken stop");
            });
            System.out.println("ready");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** A stop that takes a second and says whether the JVM had begun to shut down when it ran. */
    static final class SlowStop {
        public static void main(String[] args) throws InterruptedException {
            StopOnSignal.install("slow-stop", () -> {
                System.out.println("stopping; " + (shuttingDown() ? "the JVM is shutting down" : "the JVM's shutdown has not begun"));
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("stopped");
            });
            System.out.println("ready");
            Thread.sleep(Long.MAX_VALUE);
        }

        /** Hooks can no longer be added once the JVM has begun to shut down. */
        private static boolean shuttingDown() {
            Thread probe = new Thread(() -> { });
            try {
                Runtime.getRuntime().addShutdownHook(probe);
                Runtime.getRuntime().removeShutdownHook(probe);
                return false;
            } catch (IllegalStateException shutdownInProgress) {
                return true;
            }
        }
    }
}
