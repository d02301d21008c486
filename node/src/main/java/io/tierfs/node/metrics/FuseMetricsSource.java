package io.tierfs.node.metrics;

import io.tierfs.common.Errno;
import io.tierfs.fuse.TierFuse;
import org.apache.hadoop.metrics2.MetricsCollector;
import org.apache.hadoop.metrics2.MetricsSource;

import java.util.Map;

import static org.apache.hadoop.metrics2.lib.Interns.info;

/** The FUSE adapter: operations by type and errors answered to the kernel by errno. Empty until mounted. */
final class FuseMetricsSource implements MetricsSource {
    private final String node;
    private volatile TierFuse fuse;

    FuseMetricsSource(String node) {
        this.node = node;
    }

    void attach(TierFuse f) {
        this.fuse = f;
    }

    @Override
    public void getMetrics(MetricsCollector collector, boolean all) {
        TierFuse f = fuse;
        if (f == null) {
            return;
        }
        for (Map.Entry<String, Long> e : f.callCounts().entrySet()) {
            collector.addRecord("Fuse").setContext(NodeMetrics.CONTEXT)
                    .tag(info("Node", "node name"), node)
                    .tag(info("Op", "FUSE operation"), e.getKey())
                    .addCounter(info("Ops", "FUSE operations of this type"), e.getValue());
        }
        for (Map.Entry<Errno, Long> e : f.errorCounts().entrySet()) {
            collector.addRecord("Fuse").setContext(NodeMetrics.CONTEXT)
                    .tag(info("Node", "node name"), node)
                    .tag(info("Errno", "error answered to the kernel"), e.getKey().name())
                    .addCounter(info("Errors", "FUSE operations answered with this errno"), e.getValue());
        }
    }
}
