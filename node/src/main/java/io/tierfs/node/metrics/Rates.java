package io.tierfs.node.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-second rates of monotonic counters, computed between two samples of the sampler (not at every metrics
 * snapshot, which JMX can also trigger at any time). Pure: the caller passes the time.
 */
final class Rates {
    private record Last(long value, long nanos, double rate) {
    }

    private final Map<String, Last> last = new ConcurrentHashMap<>();

    /** Records {@code value} of {@code key} at {@code nanos}; returns the rate since the previous call (0 first). */
    double update(String key, long value, long nanos) {
        Last prev = last.get(key);
        double rate = 0;
        if (prev != null && nanos > prev.nanos()) {
            rate = Math.max(0, value - prev.value()) * 1e9 / (nanos - prev.nanos());
        }
        last.put(key, new Last(value, nanos, rate));
        return rate;
    }

    double get(String key) {
        Last l = last.get(key);
        return l == null ? 0 : l.rate();
    }
}
