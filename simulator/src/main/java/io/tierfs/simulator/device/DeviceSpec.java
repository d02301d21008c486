package io.tierfs.simulator.device;

/**
 * What a device can do: aggregate read and write bandwidth (bytes per second), a fixed per-request latency, how
 * many requests it serves at once (their latencies overlap; their transfers share the bandwidth) and, for disks,
 * the cost of a seek paid by any request that does not continue where the previous one ended.
 */
public record DeviceSpec(long readBytesPerSecond, long writeBytesPerSecond, long latencyNanos, int concurrency,
                         long seekNanos) {
    public DeviceSpec {
        if (readBytesPerSecond <= 0 || writeBytesPerSecond <= 0) {
            throw new IllegalArgumentException("bandwidth must be positive");
        }
        if (latencyNanos < 0 || seekNanos < 0) {
            throw new IllegalArgumentException("latency and seek must not be negative");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
    }
}
