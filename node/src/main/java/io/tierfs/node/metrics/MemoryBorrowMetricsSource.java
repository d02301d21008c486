package io.tierfs.node.metrics;

import org.apache.hadoop.metrics2.MetricsCollector;
import org.apache.hadoop.metrics2.MetricsRecordBuilder;
import org.apache.hadoop.metrics2.MetricsSource;

import static org.apache.hadoop.metrics2.lib.Interns.info;

/**
 * PLACEHOLDER: memory borrow (lending idle DRAM to other nodes) does not exist yet. The source is registered so
 * that dashboards and alerts can be written against stable names; every value is 0 until the feature lands, and
 * then only {@link #getMetrics} needs to read the real figures.
 */
final class MemoryBorrowMetricsSource implements MetricsSource {
    private final String node;
    private final Latency recallTime;

    MemoryBorrowMetricsSource(String node, int windowSeconds) {
        this.node = node;
        this.recallTime = new Latency("RecallTime", "time to recall lent memory (not implemented yet: no samples)",
                windowSeconds);
    }

    @Override
    public void getMetrics(MetricsCollector collector, boolean all) {
        MetricsRecordBuilder rb = collector.addRecord("MemoryBorrow").setContext(NodeMetrics.CONTEXT)
                .tag(info("Node", "node name"), node)
                .addGauge(info("OfferedBytes", "DRAM this node offers to lend (not implemented yet: 0)"), 0L)
                .addGauge(info("LentBytes", "DRAM lent to other nodes (not implemented yet: 0)"), 0L)
                .addGauge(info("UsedBytes", "lent DRAM in use by borrowers (not implemented yet: 0)"), 0L)
                .addGauge(info("DirtyBytes", "borrowers' data in lent DRAM not yet durable (not implemented yet: 0)"), 0L)
                .addCounter(info("Recalls", "lent memory recalled (not implemented yet: 0)"), 0L);
        recallTime.snapshot(rb, all);
    }

    void stop() {
        recallTime.stop();
    }
}
