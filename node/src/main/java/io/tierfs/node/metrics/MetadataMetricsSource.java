package io.tierfs.node.metrics;

import org.apache.hadoop.metrics2.MetricsCollector;
import org.apache.hadoop.metrics2.MetricsRecordBuilder;
import org.apache.hadoop.metrics2.MetricsSource;

import java.util.Map;

import static org.apache.hadoop.metrics2.lib.Interns.info;

/**
 * The metadata service as this node uses it (single-node today): operations by type with their rate, one latency
 * estimate over all of them, and the directory shards this node hosts.
 */
final class MetadataMetricsSource implements MetricsSource {
    static final String RATE_PREFIX = "meta.ops.";

    private final String node;
    private final MetadataOpStats stats;
    private final ShardCount shards;
    private final Rates rates;
    private final Latency latency;

    MetadataMetricsSource(String node, MetadataOpStats stats, ShardCount shards, Rates rates, int windowSeconds) {
        this.node = node;
        this.stats = stats;
        this.shards = shards;
        this.rates = rates;
        this.latency = new Latency("OpLatency", "latency of metadata operations (all types)", windowSeconds);
        stats.onLatency(latency::addNanos);
    }

    @Override
    public void getMetrics(MetricsCollector collector, boolean all) {
        MetricsRecordBuilder rb = collector.addRecord("Metadata").setContext(NodeMetrics.CONTEXT)
                .tag(info("Node", "node name"), node)
                .addGauge(info("ShardsHosted", "directory shards hosted by this node (-1: not known yet)"), shards.hosted());
        latency.snapshot(rb, all);
        for (Map.Entry<String, Long> e : stats.ops().entrySet()) {
            collector.addRecord("Metadata").setContext(NodeMetrics.CONTEXT)
                    .tag(info("Node", "node name"), node)
                    .tag(info("Op", "metadata operation"), e.getKey())
                    .addCounter(info("Ops", "metadata operations of this type"), e.getValue())
                    .addCounter(info("OpErrors", "metadata operations of this type that failed (ENOENT included)"),
                            stats.errors(e.getKey()))
                    .addGauge(info("OpsPerSecond", "operations per second of this type over the last sample interval"),
                            rates.get(RATE_PREFIX + e.getKey()));
        }
    }

    void stop() {
        latency.stop();
    }
}
