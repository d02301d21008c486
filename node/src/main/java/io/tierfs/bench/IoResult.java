package io.tierfs.bench;

/**
 * The numbers of one side (target or baseline) of an {@link IoBench} run. Throughput in MB/s (10^6 bytes, as dd
 * prints), rates in operations per second.
 */
public record IoResult(double writeMBps, double writeWithFsyncMBps, double readMBps, double createPerSec,
                       double statPerSec, double unlinkPerSec) {
}
