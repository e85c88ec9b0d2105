package dev.chorus.chain.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that dies without running its shutdown hooks (SIGKILL, a crash) must not leave its Anvil serving under PID 1,
 * where a later {@code chorus chain up} would find its port answering.
 */
class LocalChainOrphanIT {

    /** Started in its own JVM by the test: starts a local chain, prints Anvil's pid and URL, and waits to be killed. */
    public static final class ChainHolder {
        public static void main(String[] args) throws Exception {
            LocalChain chain = LocalChain.start();
            System.out.println("anvil " + chain.pid() + " " + chain.rpcUrl());
            System.out.flush();
            Thread.sleep(Duration.ofMinutes(2));
        }
    }

    @Test
    @Timeout(120)
    void anvilStopsWhenTheJvmThatStartedItIsKilled(@TempDir Path tmp) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // The Anvil log goes into tmp, which the kill leaves undeleted.
        Process holder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + tmp, ChainHolder.class.getName()))
                .redirectError(tmp.resolve("holder.err").toFile())
                .start();
        ProcessHandle anvil = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
            assertThat(line).as("the holder JVM's output; its stderr: %s", stderr(tmp)).startsWith("anvil ");
            String[] words = line.split(" ");
            anvil = ProcessHandle.of(Long.parseLong(words[1])).orElseThrow();
            assertThat(anvil.info().command()).hasValueSatisfying(command -> assertThat(command).endsWith("/anvil"));
            assertThat(anvil.parent().map(ProcessHandle::pid)).contains(holder.pid());
            assertThat(LocalChain.answers(words[2])).isTrue();

            holder.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (runs(anvil) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(runs(anvil)).as("Anvil (pid %d) still runs after the JVM that started it was killed", anvil.pid())
                    .isFalse();
            assertThat(LocalChain.answers(words[2])).isFalse();
        } finally {
            holder.destroyForcibly();
            if (anvil != null && anvil.isAlive()) {
                anvil.descendants().forEach(ProcessHandle::destroyForcibly);
                anvil.destroyForcibly();
            }
        }
    }

    /** The holder's line naming Anvil (its log lines may come first), or null if it ended without one. */
    private static String readLine(BufferedReader reader) {
        try {
            String line;
            while ((line = reader.readLine()) != null && !line.startsWith("anvil ")) {
                // a log line
            }
            return line;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String stderr(Path tmp) {
        try {
            return Files.readString(tmp.resolve("holder.err"));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Alive and not a zombie: an orphan that exited stays a zombie under a PID 1 that does not reap it. */
    private static boolean runs(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }
}
