package io.tierfs.node.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/** Counts of metadata operations by type, and a hook for their latency (see {@link TimedNamespace}). */
public final class MetadataOpStats {
    private final Map<String, LongAdder> ops = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private volatile LongConsumer latencyNanos = n -> { };

    void record(String op, long nanos, boolean failed) {
        ops.computeIfAbsent(op, k -> new LongAdder()).increment();
        if (failed) {
            errors.computeIfAbsent(op, k -> new LongAdder()).increment();
        }
        latencyNanos.accept(nanos);
    }

    void onLatency(LongConsumer l) {
        this.latencyNanos = l;
    }

    public Map<String, Long> ops() {
        Map<String, Long> out = new TreeMap<>();
        ops.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    public long errors(String op) {
        LongAdder n = errors.get(op);
        return n == null ? 0 : n.sum();
    }

    public long total() {
        long t = 0;
        for (LongAdder n : ops.values()) {
            t += n.sum();
        }
        return t;
    }
}
