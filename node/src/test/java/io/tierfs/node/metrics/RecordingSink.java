package io.tierfs.node.metrics;

import org.apache.commons.configuration2.SubsetConfiguration;
import org.apache.hadoop.metrics2.AbstractMetric;
import org.apache.hadoop.metrics2.MetricsRecord;
import org.apache.hadoop.metrics2.MetricsSink;
import org.apache.hadoop.metrics2.MetricsTag;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A metrics2 sink that keeps every record it is given, for assertions on what the sources publish. */
final class RecordingSink implements MetricsSink {
    record Rec(String name, Map<String, String> tags, Map<String, Number> metrics) {
    }

    private final List<Rec> records = new ArrayList<>();

    @Override
    public void init(SubsetConfiguration conf) {
    }

    @Override
    public synchronized void putMetrics(MetricsRecord record) {
        Map<String, String> tags = new TreeMap<>();
        for (MetricsTag t : record.tags()) {
            tags.put(t.name(), t.value());
        }
        Map<String, Number> metrics = new TreeMap<>();
        for (AbstractMetric m : record.metrics()) {
            metrics.put(m.name(), m.value());
        }
        records.add(new Rec(record.name(), tags, metrics));
    }

    /** Buffers consumed: metrics2 flushes a sink once after putting all the records of one publish. */
    private long flushes;

    @Override
    public synchronized void flush() {
        flushes++;
    }

    synchronized long flushes() {
        return flushes;
    }

    /**
     * Publishes until this sink has consumed a buffer sampled after the call. metrics2 drops an immediate publish
     * for a sink whose queue still holds the previous buffer (it wakes the publisher before it dequeues that one:
     * "has a full queue and can't consume the given metrics"), which a loaded machine makes likely; the publisher
     * then returns without this sink having seen the new values.
     */
    void publish(Runnable publishNow) {
        long before = flushes();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            publishNow.run();
            if (flushes() > before) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the sink consumed no publish within 10 s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    synchronized void clear() {
        records.clear();
    }

    /** The last published value of {@code metric} in the newest record named {@code name} with these tags. */
    synchronized long last(String name, Map<String, String> tags, String metric) {
        for (int i = records.size() - 1; i >= 0; i--) {
            Rec r = records.get(i);
            if (r.name().equals(name) && r.tags().entrySet().containsAll(tags.entrySet()) && r.metrics().containsKey(metric)) {
                return r.metrics().get(metric).longValue();
            }
        }
        throw new AssertionError("no record " + name + tags + " with " + metric + " in " + records);
    }
}
