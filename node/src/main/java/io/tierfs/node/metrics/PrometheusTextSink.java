package io.tierfs.node.metrics;

import org.apache.commons.configuration2.SubsetConfiguration;
import org.apache.hadoop.metrics2.AbstractMetric;
import org.apache.hadoop.metrics2.MetricType;
import org.apache.hadoop.metrics2.MetricsRecord;
import org.apache.hadoop.metrics2.MetricsSink;
import org.apache.hadoop.metrics2.MetricsTag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A metrics2 sink that keeps the last value of every metric and renders them in the Prometheus text exposition
 * format (version 0.0.4) for GET /metrics. Names follow {@link PrometheusNames}; record tags become labels, except
 * metrics2's own Context and Hostname (Prometheus adds the instance itself).
 */
public final class PrometheusTextSink implements MetricsSink {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Set<String> DROPPED_TAGS = Set.of("Context", "Hostname");

    /** Last samples by record name + labels; a record replaces its previous values. */
    private final Map<String, List<Sample>> byRecord = new ConcurrentHashMap<>();

    private record Sample(String family, String type, String help, String labels, double value) {
    }

    @Override
    public void init(SubsetConfiguration conf) {
        // nothing to configure: the gateway serves what this sink holds
    }

    @Override
    public void putMetrics(MetricsRecord record) {
        Map<String, String> labels = new TreeMap<>();
        for (MetricsTag t : record.tags()) {
            if (!DROPPED_TAGS.contains(t.name()) && t.value() != null) {
                labels.put(PrometheusNames.snake(t.name()), t.value());
            }
        }
        List<Sample> samples = new ArrayList<>();
        for (AbstractMetric m : record.metrics()) {
            boolean counter = m.type() == MetricType.COUNTER;
            PrometheusNames.Mapped n = PrometheusNames.map(record.name(), m.name(), counter);
            Map<String, String> l = labels;
            String type = counter ? "counter" : "gauge";
            if (n.quantile() != null) {
                l = new TreeMap<>(labels);
                l.put("quantile", n.quantile());
                type = "summary";
            }
            samples.add(new Sample(n.family(), type, m.description(), render(l),
                    m.value().doubleValue() * n.scale()));
        }
        byRecord.put(record.name() + render(labels), samples);
    }

    @Override
    public void flush() {
        // values are visible as soon as they are put
    }

    /** The exposition text: one HELP and TYPE line per family, then its samples. */
    public String render() {
        Map<String, List<Sample>> families = new TreeMap<>();
        for (List<Sample> rec : byRecord.values()) {
            for (Sample s : rec) {
                families.computeIfAbsent(s.family(), k -> new ArrayList<>()).add(s);
            }
        }
        StringBuilder out = new StringBuilder();
        for (var e : families.entrySet()) {
            Sample first = e.getValue().get(0);
            out.append("# HELP ").append(e.getKey()).append(' ')
                    .append(PrometheusNames.escape(first.help() == null ? e.getKey() : first.help(), false)).append('\n');
            out.append("# TYPE ").append(e.getKey()).append(' ').append(first.type()).append('\n');
            Map<String, Sample> unique = new LinkedHashMap<>();
            for (Sample s : e.getValue()) {
                unique.put(s.labels(), s);
            }
            for (Sample s : unique.values()) {
                out.append(e.getKey()).append(s.labels()).append(' ').append(PrometheusNames.value(s.value())).append('\n');
            }
        }
        return out.toString();
    }

    private static String render(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("{");
        for (var e : labels.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(e.getKey()).append("=\"").append(PrometheusNames.escape(e.getValue(), true)).append('"');
        }
        return sb.append('}').toString();
    }
}
