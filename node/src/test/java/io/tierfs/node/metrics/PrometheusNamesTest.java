package io.tierfs.node.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PrometheusNamesTest {
    @Test
    void mapsMetrics2NamesToPrometheusConventions() {
        assertEquals(new PrometheusNames.Mapped("tierfs_tier_used_bytes", null, 1.0),
                PrometheusNames.map("Tier", "UsedBytes", false));
        assertEquals("tierfs_tier_read_bytes_total", PrometheusNames.map("Tier", "ReadBytes", true).family());
        assertEquals("tierfs_memory_borrow_recalls_total", PrometheusNames.map("MemoryBorrow", "Recalls", true).family());
        PrometheusNames.Mapped q = PrometheusNames.map("Tier", "ReadLatency99thPercentileMicros", false);
        assertEquals("tierfs_tier_read_latency_seconds", q.family());
        assertEquals("0.99", q.quantile());
        assertEquals(1e-6, q.scale());
        assertEquals("0.5", PrometheusNames.map("Tier", "ReadLatency50thPercentileMicros", false).quantile());
        PrometheusNames.Mapped avg = PrometheusNames.map("MetricsSystem", "SnapshotAvgTime", false);
        assertEquals("tierfs_metrics_system_snapshot_avg_time_seconds", avg.family());
        assertNull(avg.quantile());
        assertEquals("jvm_gc_time", PrometheusNames.snake("JVM GC-Time"));
        assertEquals("tierfs_metadata_shards_hosted", PrometheusNames.map("Metadata", "ShardsHosted", false).family());
    }

    @Test
    void escapesLabelValuesAndFormatsValues() {
        assertEquals("a\\\\b\\\"c\\nd", PrometheusNames.escape("a\\b\"c\nd", true));
        assertEquals("say \"hi\"", PrometheusNames.escape("say \"hi\"", false));
        assertEquals("3", PrometheusNames.value(3.0));
        assertEquals("0.25", PrometheusNames.value(0.25));
        assertEquals("NaN", PrometheusNames.value(Double.NaN));
        assertEquals("+Inf", PrometheusNames.value(Double.POSITIVE_INFINITY));
    }

    @Test
    void theTestParserRejectsWhatPrometheusRejects() {
        PrometheusText ok = PrometheusText.parse("# HELP a_total x\n# TYPE a_total counter\na_total{l=\"v\\\"\"} 1\n");
        assertEquals("v\"", ok.samples().get(0).labels().get("l"));
        for (String bad : new String[]{"1bad 1\n", "a{l=v} 1\n", "a 1\nb 2\na 3\n", "a one\n", "a 1", "a 1\n# TYPE a gauge\n"}) {
            org.junit.jupiter.api.Assertions.assertThrows(PrometheusText.ParseException.class, () -> PrometheusText.parse(bad), bad);
        }
    }
}
