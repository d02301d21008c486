package io.tierfs.node.metrics;

import io.tierfs.borrow.cluster.LenderGauges;
import io.tierfs.borrow.cluster.LenderView;
import org.apache.hadoop.metrics2.MetricsCollector;
import org.apache.hadoop.metrics2.MetricsRecordBuilder;
import org.apache.hadoop.metrics2.MetricsSource;

import static org.apache.hadoop.metrics2.lib.Interns.info;

/**
 * The memory this node lends to other nodes (issue: memory borrow): what it offers, what it lent, what borrowers
 * store and how much of that is dirty, and how long recalls take. Registered on every node so that dashboards can be
 * written against stable names; a node that does not lend reports zeros. Values come from the lender's
 * {@link LenderGauges} (refreshed every lender poll tick), so a scrape never waits for an actor.
 */
final class MemoryBorrowMetricsSource implements MetricsSource {
    private final String node;
    private final Latency recallTime;
    private volatile LenderGauges gauges;

    MemoryBorrowMetricsSource(String node, int windowSeconds) {
        this.node = node;
        this.recallTime = new Latency("RecallTime", "time from a recall order to the release of the lease",
                windowSeconds);
    }

    void attach(LenderGauges g) {
        g.onRecall(d -> recallTime.addMillis(d.toMillis()));
        this.gauges = g;
    }

    @Override
    public void getMetrics(MetricsCollector collector, boolean all) {
        LenderGauges g = gauges;
        LenderView v = g == null ? null : g.latest();
        MetricsRecordBuilder rb = collector.addRecord("MemoryBorrow").setContext(NodeMetrics.CONTEXT)
                .tag(info("Node", "node name"), node)
                .addGauge(info("OfferedBytes", "DRAM this node offers to lend"), v == null ? 0L : v.offeredBytes())
                .addGauge(info("LentBytes", "DRAM lent to other nodes (granted leases)"), v == null ? 0L : v.lentBytes())
                .addGauge(info("UsedBytes", "lent DRAM that borrowers store data in"), v == null ? 0L : v.usedBytes())
                .addGauge(info("DirtyBytes", "borrowers' data in lent DRAM not yet durable"),
                        v == null ? 0L : v.dirtyBytes())
                .addGauge(info("ShmBytes", "bytes in this node's lend directory (shared memory)"),
                        v == null ? 0L : v.shmBytes())
                .addGauge(info("RecallsInProgress", "recalls of leases on this node not finished yet"),
                        v == null ? 0 : v.recalls().size())
                .addCounter(info("Recalls", "recalls of lent memory finished"), g == null ? 0L : g.recalls());
        recallTime.snapshot(rb, all);
    }

    /** This node's lent memory for the dashboard (zeros while it does not lend). */
    Dashboard.LentMemory lentMemory() {
        LenderGauges g = gauges;
        LenderView v = g == null ? null : g.latest();
        return v == null ? new Dashboard.LentMemory(node, 0, 0, 0, 0)
                : new Dashboard.LentMemory(node, v.offeredBytes(), v.lentBytes(), v.usedBytes(), v.dirtyBytes());
    }

    void stop() {
        recallTime.stop();
    }
}
