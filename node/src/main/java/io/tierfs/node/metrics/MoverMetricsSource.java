package io.tierfs.node.metrics;

import io.tierfs.tier.MoverStatus;
import org.apache.hadoop.metrics2.MetricsCollector;
import org.apache.hadoop.metrics2.MetricsSource;

import java.util.function.Supplier;

import static org.apache.hadoop.metrics2.lib.Interns.info;

/** The mover: its queue, and per direction the moves, failures, bytes and current bytes per second. */
final class MoverMetricsSource implements MetricsSource {
    static final String RATE_DOWN = "mover.bytes.down";
    static final String RATE_UP = "mover.bytes.up";

    private final String node;
    private final Supplier<MoverStatus> status;
    private final MoveLog moves;
    private final Rates rates;

    MoverMetricsSource(String node, Supplier<MoverStatus> status, MoveLog moves, Rates rates) {
        this.node = node;
        this.status = status;
        this.moves = moves;
        this.rates = rates;
    }

    @Override
    public void getMetrics(MetricsCollector collector, boolean all) {
        MoverStatus s = status.get();
        collector.addRecord("Mover").setContext(NodeMetrics.CONTEXT)
                .tag(info("Node", "node name"), node)
                .addGauge(info("Queued", "chunk copies waiting for a mover thread"), s.queued())
                .addGauge(info("Running", "chunk copies in progress"), s.running())
                .addCounter(info("Done", "chunk copies completed since start"), s.done())
                .addCounter(info("Failed", "chunk copies that failed or kept racing with writes"), s.failed());
        direction(collector, "down", moves.down(), RATE_DOWN);
        direction(collector, "up", moves.up(), RATE_UP);
    }

    private void direction(MetricsCollector collector, String direction, MoveLog.Totals t, String rateKey) {
        collector.addRecord("Mover").setContext(NodeMetrics.CONTEXT)
                .tag(info("Node", "node name"), node)
                .tag(info("Direction", "down: to a slower tier; up: a promotion"), direction)
                .addCounter(info("Moves", "chunk copies moved in this direction"), t.moved())
                .addCounter(info("MoveFailures", "chunk copies in this direction that failed"), t.failed())
                .addCounter(info("Bytes", "bytes moved in this direction"), t.bytes())
                .addGauge(info("BytesPerSecond", "bytes per second moved in this direction over the last sample interval"),
                        rates.get(rateKey));
    }
}
