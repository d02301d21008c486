package io.tierfs.bench;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this whole process (every thread: clients, actors, journal, FUSE, GC), the denominator of the
 * benchmarks' "operations per CPU-second": on a machine with fewer cores than nodes, that is what shows the
 * per-node efficiency that wall-clock rates hide.
 */
final class ProcessCpu {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private ProcessCpu() {
    }

    /**
     * Process CPU time in nanoseconds (user + system), or -1 where the JVM cannot tell. On Linux, JDK 17 reads it
     * with times(2): it moves in clock ticks of 10 ms, so a phase needs seconds for a figure within a percent.
     */
    static long nanos() {
        return OS.getProcessCpuTime();
    }
}
