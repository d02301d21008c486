package io.tierfs.node.metrics;

import io.tierfs.tier.TierUsage;
import io.tierfs.tier.engine.TierIoStats;
import org.apache.hadoop.metrics2.MetricsCollector;
import org.apache.hadoop.metrics2.MetricsRecordBuilder;
import org.apache.hadoop.metrics2.MetricsSource;

import java.util.function.Supplier;

import static org.apache.hadoop.metrics2.lib.Interns.info;

/** One tier of this node: capacity, usage, files and chunks, and the application I/O that reached it. */
final class TierMetricsSource implements MetricsSource {
    private final String node;
    private final String tier;
    private final TierIoStats io;
    private final Supplier<TierUsage> usage;
    private final Latency readLatency;
    private final Latency writeLatency;

    TierMetricsSource(String node, String tier, TierIoStats io, Supplier<TierUsage> usage, int windowSeconds) {
        this.node = node;
        this.tier = tier;
        this.io = io;
        this.usage = usage;
        this.readLatency = new Latency("ReadLatency", "latency of chunk reads on this tier", windowSeconds);
        this.writeLatency = new Latency("WriteLatency", "latency of chunk writes on this tier", windowSeconds);
        io.onLatency(readLatency::addNanos, writeLatency::addNanos);
    }

    @Override
    public void getMetrics(MetricsCollector collector, boolean all) {
        TierUsage u = usage.get();
        MetricsRecordBuilder rb = collector.addRecord("Tier").setContext(NodeMetrics.CONTEXT)
                .tag(info("Node", "node name"), node)
                .tag(info("Tier", "tier name"), tier)
                .tag(info("Kind", "tier kind"), u.kind().toLowerCase(java.util.Locale.ROOT))
                .addGauge(info("CapacityBytes", "configured capacity of the tier in bytes"), u.capacityBytes())
                .addGauge(info("UsedBytes", "bytes stored on the tier"), u.usedBytes())
                .addGauge(info("Files", "files with at least one chunk copy on the tier"), u.files())
                .addGauge(info("Chunks", "chunk copies stored on the tier"), u.chunks())
                .addCounter(info("ReadOps", "chunk reads served by the tier"), io.readOps())
                .addCounter(info("ReadBytes", "bytes read from the tier"), io.readBytes())
                .addCounter(info("WriteOps", "chunk writes to the tier"), io.writeOps())
                .addCounter(info("WriteBytes", "bytes written to the tier"), io.writeBytes());
        readLatency.snapshot(rb, all);
        writeLatency.snapshot(rb, all);
    }

    void stop() {
        io.onLatency(null, null);
        readLatency.stop();
        writeLatency.stop();
    }
}
