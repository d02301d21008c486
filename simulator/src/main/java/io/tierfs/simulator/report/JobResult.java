package io.tierfs.simulator.report;

/**
 * One job's I/O: I/O time is from its first request's arrival to its last request's completion; latency sum adds
 * every request's completion minus arrival.
 */
public record JobResult(String name, long requests, long bytes, long firstArrivalNanos, long lastCompletionNanos,
                        long sumLatencyNanos) {

    public long ioTimeNanos() {
        return requests == 0 ? 0 : lastCompletionNanos - firstArrivalNanos;
    }

    /** Bytes per second over the I/O time. */
    public double bandwidth() {
        long t = ioTimeNanos();
        return t <= 0 ? 0 : bytes * 1e9 / t;
    }
}
