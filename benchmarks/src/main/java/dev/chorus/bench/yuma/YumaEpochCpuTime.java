package dev.chorus.bench.yuma;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The same epochs as {@link YumaEpochBenchmark}, timed in thread CPU time rather than wall time:
 * on a machine shared with other builds, CPU time is the number that does not depend on how many
 * other processes want the cores. Prints the median and minimum per shape and mode.
 */
public final class YumaEpochCpuTime {

    private YumaEpochCpuTime() {
    }

    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String shape : new String[] {"256:64", "4096:256"}) {
            for (String mode : new String[] {"classic", "yuma3", "yuma3-liquid"}) {
                YumaEpochBenchmark bench = new YumaEpochBenchmark();
                bench.shape = shape;
                bench.mode = mode;
                bench.buildSubnet();
                int reps = shape.startsWith("256:") ? 400 : 12;
                for (int i = 0; i < reps; i++) {
                    bench.epoch();
                }
                long[] nanos = new long[reps];
                for (int i = 0; i < reps; i++) {
                    long start = threads.getCurrentThreadCpuTime();
                    bench.epoch();
                    nanos[i] = threads.getCurrentThreadCpuTime() - start;
                }
                Arrays.sort(nanos);
                System.out.printf("%-9s %-13s median %8.2f ms CPU   min %8.2f ms%n", shape, mode, nanos[reps / 2] / 1e6,
                        nanos[0] / 1e6);
            }
        }
    }
}
