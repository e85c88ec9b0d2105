package dev.chorus.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@link MinerFarm} child process, on this JVM's class path: started with keys, stopped by closing its stdin. */
final class MinerFarmProcess implements AutoCloseable {

    private final Process process;
    private final Writer stdin;
    private final List<Integer> ports;

    private MinerFarmProcess(Process process, Writer stdin, List<Integer> ports) {
        this.process = process;
        this.stdin = stdin;
        this.ports = ports;
    }

    /** Starts the farm and waits until every server listens; {@code args} are {@link MinerFarm}'s options. */
    static MinerFarmProcess start(List<String> privateKeys, List<String> args) throws IOException, InterruptedException {
        // The flag bin/chorus-bench gives its own JVM; without it the farm's stderr, inherited, shows the JDK's
        // restricted-method warning in the middle of the benchmark's output.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                MinerFarm.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("CHORUS_LOG_LEVEL", "ERROR");
        Process process = builder.start();
        Writer stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        try {
            for (String key : privateKeys) {
                stdin.write(key + "\n");
            }
            stdin.write("\n");
            stdin.flush();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<List<Integer>> ready = CompletableFuture.supplyAsync(() -> readPorts(out));
            List<Integer> ports = ready.get(180, TimeUnit.SECONDS);
            if (ports.size() != privateKeys.size()) {
                throw new IllegalStateException("the miner farm reported " + ports.size() + " ports for " + privateKeys.size() + " keys");
            }
            return new MinerFarmProcess(process, stdin, ports);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the miner farm did not start (its stderr is above): " + e, e);
        }
    }

    private static List<Integer> readPorts(BufferedReader out) {
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(MinerFarm.READY)) {
                    return Arrays.stream(line.substring(MinerFarm.READY.length()).strip().split(" "))
                            .map(Integer::parseInt).toList();
                }
            }
            throw new IllegalStateException("the miner farm closed its output without reporting its ports");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The servers' ports, in the order of the keys. */
    List<Integer> ports() {
        return ports;
    }

    /** CPU time the farm has used so far (user and system, all threads). */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Open file descriptors of the farm, from /proc; -1 where that cannot be read. */
    long openFiles() {
        return ProcessStats.openFiles(Path.of("/proc", Long.toString(process.pid()), "fd"));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            // Already gone: waitFor below says so.
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
