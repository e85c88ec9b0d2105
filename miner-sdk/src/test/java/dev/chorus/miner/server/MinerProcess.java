package dev.chorus.miner.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A miner's {@code main} run in a JVM of its own, on this test's class path: a Vert.x thread left running shows there
 * as a process that does not exit.
 */
record MinerProcess(boolean exited, int status, String output) {

    /** Far beyond a JVM's start and a chain transaction on a loaded machine; a leaked Vert.x never exits at all. */
    private static final long EXIT_PATIENCE_SECONDS = 60;

    static MinerProcess run(Path dir, Class<?> main, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile(dir, main.getSimpleName() + "-", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process miner = builder.start();
        boolean exited = miner.waitFor(EXIT_PATIENCE_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            miner.destroyForcibly().waitFor();
        }
        return new MinerProcess(exited, miner.exitValue(), Files.readString(log));
    }
}
