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

    @Override
    public void flush() {
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
