package io.tierfs.node.metrics;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.config.TierFsConfig;
import io.tierfs.migration.TieredStorage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics2 sources against a real tier engine and mover (no mount): values published to a sink change as
 * files are written and migrated; the file sink configured by hadoop-metrics2-tierfs.properties in the state
 * directory writes them; the Prometheus text parses.
 */
class NodeMetricsTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;
    private TieredStorage storage;
    private NodeMetrics metrics;
    private final RecordingSink sink = new RecordingSink();
    private Path metricsFile;

    @BeforeEach
    void start() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        metricsFile = dir.resolve("metrics.out");
        Files.writeString(state.resolve("hadoop-metrics2-tierfs.properties"),
                "*.period=3600\n"
                        + "tierfs.sink.file.class=org.apache.hadoop.metrics2.sink.FileSink\n"
                        + "tierfs.sink.file.filename=" + metricsFile + "\n");
        String conf = "tierfs {\n chunk-size = 1MiB\n tiers = [\n"
                + "  { name = dram, kind = dram, path = \"" + dir.resolve("dram") + "\", capacity = 64MiB }\n"
                + "  { name = ssd, kind = ssd, path = \"" + dir.resolve("ssd") + "\", capacity = 64MiB }\n"
                + "  { name = hdd, kind = hdd, path = \"" + dir.resolve("hdd") + "\", capacity = 1GiB }\n ]\n}\n";
        TierFsConfig cfg = TierFsConfig.fromConfig(state, ConfigFactory.parseString(conf));
        storage = TieredStorage.open(cfg, Clock.systemUTC(), "test-node", false);
        metrics = NodeMetrics.start("test-node", state, storage, null,
                new NodeMetrics.Options(Duration.ofHours(1), Duration.ofHours(10), 1, 50));
        metrics.system().register("recording", "test sink", sink);
    }

    @AfterEach
    void stop() {
        if (metrics != null) {
            metrics.close();
        }
        if (storage != null) {
            storage.close();
        }
    }

    private static Map<String, String> tier(String name) {
        return Map.of("Tier", name, "Node", "test-node");
    }

    @Test
    void tierAndMoverMetricsFollowWritesAndMigrations() throws Exception {
        sink.publish(metrics::publishNow);
        assertEquals(0, sink.last("Tier", tier("dram"), "UsedBytes"));
        assertEquals(64 * MIB, sink.last("Tier", tier("dram"), "CapacityBytes"));
        assertEquals(0, sink.last("Mover", Map.of("Direction", "down"), "Moves"));

        byte[] data = new byte[(int) (3 * MIB)];
        storage.write(42, 0, ByteBuffer.wrap(data));
        storage.read(42, 0, ByteBuffer.allocate((int) MIB));
        sink.publish(metrics::publishNow);
        assertEquals(3 * MIB, sink.last("Tier", tier("dram"), "UsedBytes"));
        assertEquals(1, sink.last("Tier", tier("dram"), "Files"));
        assertEquals(3, sink.last("Tier", tier("dram"), "Chunks"));
        assertEquals(3 * MIB, sink.last("Tier", tier("dram"), "WriteBytes"));
        assertEquals(3, sink.last("Tier", tier("dram"), "WriteOps"));
        assertEquals(MIB, sink.last("Tier", tier("dram"), "ReadBytes"));
        assertEquals(0, sink.last("Tier", tier("ssd"), "WriteBytes"));

        metrics.sampleNow();
        assertTrue(storage.demote(42, "ssd"), "the file moved down to ssd");
        metrics.sampleNow();
        sink.publish(metrics::publishNow);
        assertEquals(0, sink.last("Tier", tier("dram"), "UsedBytes"), "nothing left on dram");
        assertEquals(3 * MIB, sink.last("Tier", tier("ssd"), "UsedBytes"));
        assertEquals(3, sink.last("Mover", Map.of("Direction", "down"), "Moves"));
        assertEquals(3 * MIB, sink.last("Mover", Map.of("Direction", "down"), "Bytes"));
        assertTrue(sink.last("Mover", Map.of("Direction", "down"), "BytesPerSecond") > 0, "a throughput was measured");
        assertEquals(0, sink.last("Mover", Map.of("Direction", "up"), "Moves"));
        assertEquals(3, sink.last("Mover", Map.of("Node", "test-node"), "Done"));
        assertEquals(0, sink.last("MemoryBorrow", Map.of("Node", "test-node"), "LentBytes"), "not lending yet");
        io.tierfs.borrow.cluster.LenderGauges lender = new io.tierfs.borrow.cluster.LenderGauges();
        metrics.attachMemoryBorrow(lender);
        lender.published(new io.tierfs.borrow.cluster.LenderView("test-node", "127.0.0.1:1", 8 * MIB, 6 * MIB,
                4 * MIB, 3 * MIB, MIB, 3 * MIB, true, java.util.List.of("recall of lease 7")));
        java.time.Instant t0 = java.time.Instant.parse("2026-11-21T10:00:00Z");
        lender.released(new io.tierfs.borrow.lender.RecallReport("test-node", 7, "b", 4 * MIB,
                io.tierfs.borrow.lender.RecallReason.OPERATOR, t0, t0.plusSeconds(30), t0.plusMillis(1500),
                new io.tierfs.borrow.lender.ReleaseStats(0, MIB, 0, 0, 1, 0)));
        sink.publish(metrics::publishNow);
        Map<String, String> borrowTag = Map.of("Node", "test-node");
        assertEquals(6 * MIB, sink.last("MemoryBorrow", borrowTag, "OfferedBytes"));
        assertEquals(4 * MIB, sink.last("MemoryBorrow", borrowTag, "LentBytes"));
        assertEquals(3 * MIB, sink.last("MemoryBorrow", borrowTag, "UsedBytes"));
        assertEquals(MIB, sink.last("MemoryBorrow", borrowTag, "DirtyBytes"));
        assertEquals(1, sink.last("MemoryBorrow", borrowTag, "RecallsInProgress"));
        assertEquals(1, sink.last("MemoryBorrow", borrowTag, "Recalls"));

        // Reads of the migrated file are now served, and counted, by ssd.
        storage.read(42, 0, ByteBuffer.allocate((int) (2 * MIB)));
        sink.publish(metrics::publishNow);
        assertEquals(2 * MIB, sink.last("Tier", tier("ssd"), "ReadBytes"));
        assertEquals(2, sink.last("Tier", tier("ssd"), "ReadOps"));

        var jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        var ssd = new javax.management.ObjectName("Hadoop:service=tierfs,name=Tier-ssd");
        assertTrue(jmx.isRegistered(ssd), "metrics2 publishes every source over JMX");
        // JMX values are cached by metrics2 for up to *.source.jmx_cache_ttl (10 s): check a constant one.
        assertEquals(64 * MIB, ((Number) jmx.getAttribute(ssd, "CapacityBytes")).longValue());

        Dashboard d = metrics.dashboard();
        assertEquals(3, d.migrations().recent().size(), d.toString());
        assertEquals("dram", d.migrations().recent().get(0).from());
        assertEquals("ssd", d.migrations().recent().get(0).to());
        var h = d.history();
        assertTrue(h.size() >= 2, h.toString());
        assertEquals(3 * MIB, h.get(h.size() - 2).usedBytes().get(0), "before the move: on dram");
        assertEquals(3 * MIB, h.get(h.size() - 1).usedBytes().get(1), "after the move: on ssd");
    }

    @Test
    void latencyQuantilesAreFilledAfterTheirWindow() throws Exception {
        storage.write(7, 0, ByteBuffer.wrap(new byte[(int) MIB]));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long p99 = 0;
        while (p99 == 0 && System.nanoTime() < deadline) {
            storage.write(7, 0, ByteBuffer.wrap(new byte[(int) MIB]));
            sink.publish(metrics::publishNow);
            p99 = sink.last("Tier", tier("dram"), "WriteLatency99thPercentileMicros");
            if (p99 == 0) {
                Thread.onSpinWait();
            }
        }
        assertTrue(p99 > 0, "the 1 s quantile window rolled over with the writes' latencies");
    }

    @Test
    void theFileSinkFromThePropertiesFileAndThePrometheusTextCarryTheSameFigures() throws Exception {
        storage.write(9, 0, ByteBuffer.wrap(new byte[(int) (2 * MIB)]));
        sink.publish(metrics::publishNow);
        // metrics2 hands a publication to each sink's own queue and thread: the file is written a moment later
        io.tierfs.it.Await.until(Duration.ofSeconds(20), "the file sink wrote the publication",
                () -> Files.readString(metricsFile).contains("UsedBytes=" + 2 * MIB));
        String file = Files.readString(metricsFile);
        assertTrue(file.contains("tierfs.Tier: ") && file.contains("Tier=dram") && file.contains("UsedBytes=" + 2 * MIB),
                file);
        PrometheusText p = PrometheusText.parse(metrics.prometheusText());
        assertEquals(2.0 * MIB, p.value("tierfs_tier_used_bytes", Map.of("tier", "dram", "node", "test-node")));
        assertEquals(2.0 * MIB, p.value("tierfs_tier_write_bytes_total", Map.of("tier", "dram")));
        assertEquals("counter", p.types().get("tierfs_tier_write_bytes_total"));
        assertEquals("summary", p.types().get("tierfs_tier_write_latency_seconds"));
        assertEquals("gauge", p.types().get("tierfs_mover_bytes_per_second"));
        assertEquals(0.0, p.value("tierfs_memory_borrow_lent_bytes", Map.of()));
        p.value("tierfs_tier_write_latency_seconds", Map.of("tier", "dram", "quantile", "0.99"));
        for (var e : p.types().entrySet()) {
            if (e.getValue().equals("counter")) {
                assertTrue(e.getKey().endsWith("_total"), "counter names end in _total: " + e.getKey());
            }
        }
    }

    @Test
    void aSecondNodeInTheSameJvmGetsItsOwnSources() throws Exception {
        Path state2 = Files.createDirectories(dir.resolve("state2"));
        try (NodeMetrics second = NodeMetrics.start("second-node", state2, storage, null,
                new NodeMetrics.Options(Duration.ofHours(1), Duration.ofHours(10), 1, 50))) {
            RecordingSink s2 = new RecordingSink();
            second.system().register("recording2", "test sink", s2);
            s2.publish(second::publishNow);
            assertEquals(64 * MIB, s2.last("Tier", Map.of("Tier", "dram", "Node", "second-node"), "CapacityBytes"));
        }
    }
}
