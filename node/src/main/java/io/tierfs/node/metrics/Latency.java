package io.tierfs.node.metrics;

import org.apache.hadoop.metrics2.lib.MutableQuantiles;

/**
 * A metrics2 latency quantile estimate (50/75/90/95/99th percentile over a rolling window) recorded in
 * microseconds, so that the Prometheus sink turns it into a {@code _seconds} summary.
 */
final class Latency {
    private final MutableQuantiles quantiles;

    Latency(String name, String description, int windowSeconds) {
        this.quantiles = new MutableQuantiles(name, description, "Ops", "Micros", windowSeconds);
    }

    void addNanos(long nanos) {
        quantiles.add(Math.max(0, nanos / 1_000));
    }

    void addMillis(long millis) {
        quantiles.add(Math.max(0, millis * 1_000));
    }

    void snapshot(org.apache.hadoop.metrics2.MetricsRecordBuilder rb, boolean all) {
        quantiles.snapshot(rb, all);
    }

    void stop() {
        quantiles.stop();
    }
}
