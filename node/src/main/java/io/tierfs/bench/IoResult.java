package io.tierfs.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The numbers of one side (target or baseline) of an {@link IoBench} run. Throughput in MB/s (10^6 bytes, as dd
 * prints), rates in operations per second. {@code readMBps} is a warm read (what the kernel kept cached),
 * {@code coldReadMBps} a read after the file's cached pages were dropped.
 */
public record IoResult(double writeMBps, double writeWithFsyncMBps, double readMBps, double coldReadMBps,
                       double createPerSec, double statPerSec, double unlinkPerSec) {

    /** Metric by metric, the median of several rounds (the upper median for an even count). */
    public static IoResult median(List<IoResult> rounds) {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("no rounds");
        }
        return new IoResult(median(rounds, IoResult::writeMBps), median(rounds, IoResult::writeWithFsyncMBps),
                median(rounds, IoResult::readMBps), median(rounds, IoResult::coldReadMBps),
                median(rounds, IoResult::createPerSec), median(rounds, IoResult::statPerSec),
                median(rounds, IoResult::unlinkPerSec));
    }

    private static double median(List<IoResult> rounds, ToDoubleFunction<IoResult> f) {
        double[] v = rounds.stream().mapToDouble(f).toArray();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
