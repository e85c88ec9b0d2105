package dev.chorus.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/** What this process uses: CPU time, heap after a full collection, open file descriptors. */
final class ProcessStats {

    private ProcessStats() {
    }

    /** CPU time of this JVM so far, every thread (JIT and GC included). */
    static Duration cpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Duration.ofNanos(os.getProcessCpuTime());
        }
        throw new IllegalStateException("this JVM does not report process CPU time");
    }

    /** Heap in use after asking for a full collection, in bytes. */
    static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long openFiles() {
        return openFiles(Path.of("/proc/self/fd"));
    }

    static long openFiles(Path fdDir) {
        try (Stream<Path> fds = Files.list(fdDir)) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
