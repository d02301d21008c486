package io.tierfs.bench;

/**
 * One timed phase of the metadata benchmark: {@code ops} operations by all clients together in {@code seconds} of
 * wall time (including the closing sync barrier of mutating phases), the process CPU time they took, and the
 * latency of single operations (median and 99th percentile, microseconds, as each client measured its calls).
 */
public record PhaseResult(String phase, int ops, double seconds, double cpuSeconds, double opsPerSec,
                          double opsPerCpuSec, double p50Micros, double p99Micros) {

    public static PhaseResult of(String phase, int ops, double seconds, double cpuSeconds, double p50Micros,
                                 double p99Micros) {
        double perSec = seconds > 0 ? ops / seconds : 0;
        double perCpu = cpuSeconds > 0 ? ops / cpuSeconds : 0;
        return new PhaseResult(phase, ops, seconds, cpuSeconds, perSec, perCpu, p50Micros, p99Micros);
    }

    /** CPU cores kept busy on average during the phase. */
    public double coresBusy() {
        return seconds > 0 ? cpuSeconds / seconds : 0;
    }
}
