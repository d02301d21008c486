package io.tierfs.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tierfs.node.cli.GatewayClient;
import io.tierfs.simulator.config.SimConfig;
import io.tierfs.simulator.config.SimConfigLoader;
import io.tierfs.simulator.engine.ProgressListener;
import io.tierfs.simulator.engine.Simulation;
import io.tierfs.simulator.trace.CsvTraceSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The simulator tells the truth about the real system: the same small sequence of operations, applied to a real
 * mount (a node in a child JVM with a 16 MiB DRAM tier, watermarks 0.8/0.5) and replayed as a CSV trace through
 * the simulator with the same tiers, ends with every file on the same tier. Both run the production
 * WatermarkPolicy/LruOrder; the sequence crosses DRAM's high watermark exactly once, with its last write, so the
 * one plan each makes sees the same files in the same LRU order.
 */
class SimulatorAgreesWithMountTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    /** One operation of the sequence, as both sides see it. */
    private record Op(String path, boolean rewrite) {
    }

    @Test
    void sameFilesEndOnTheSameTiers() throws Exception {
        // 10 files (10 MiB), then a0 a2 a4 a6 rewritten (now the most recently used of the a's), then b0 b1 (12 MiB,
        // under the 12.8 MiB high watermark) and b2, whose write crosses it: the plan demotes 5 MiB (down to the
        // 8 MiB low watermark), least recently used first: a1 a3 a5 a7 a8.
        List<List<Op>> phases = List.of(
                range("a", 0, 10, false),
                List.of(new Op("a0", true), new Op("a2", true), new Op("a4", true), new Op("a6", true)),
                range("b", 0, 3, false));

        Map<String, String> real = runOnMount(phases);
        Map<String, String> simulated = runInSimulator(phases);

        assertEquals(real, simulated, "the simulator and the real mount placed the files differently");
        Map<String, String> expected = new TreeMap<>();
        for (String f : List.of("a0", "a2", "a4", "a6", "a9", "b0", "b1", "b2")) {
            expected.put(f, "dram");
        }
        for (String f : List.of("a1", "a3", "a5", "a7", "a8")) {
            expected.put(f, "ssd");
        }
        assertEquals(expected, real, "LRU demotion from DRAM down to the low watermark");
    }

    private static List<Op> range(String prefix, int from, int to, boolean rewrite) {
        List<Op> ops = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ops.add(new Op(prefix + i, rewrite));
        }
        return ops;
    }

    private Map<String, String> runOnMount(List<List<Op>> phases) throws Exception {
        try (FsUnderTest fs = MountedTierFs.start(FsSpec.standard())) {
            Path dir = Files.createDirectory(fs.root().resolve("sim-vs-mount"));
            byte[] data = new byte[MIB];
            new java.util.Random(5).nextBytes(data);
            for (List<Op> phase : phases) {
                // Consecutive phases must not share a millisecond: LRU ties are broken by inode number.
                long before = System.currentTimeMillis();
                Await.until(Duration.ofSeconds(5), "the clock to tick", () -> System.currentTimeMillis() > before + 1);
                for (Op op : phase) {
                    Path f = dir.resolve(op.path());
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                        ByteBuffer b = ByteBuffer.wrap(data);
                        while (b.hasRemaining()) {
                            ch.write(b, b.position());
                        }
                    }
                }
            }
            GatewayClient api = GatewayClient.forStateDir(((MountedTierFs) fs).stateDir());
            Await.until(Duration.ofSeconds(60), "the mover to bring DRAM under its low watermark and go idle", () -> {
                JsonNode s = api.get("/api/v1/status");
                JsonNode dram = s.get("tiers").get(0);
                JsonNode mover = s.get("mover");
                return dram.get("usedBytes").asLong() <= dram.get("capacityBytes").asLong() / 2
                        && mover.get("queued").asLong() == 0 && mover.get("running").asLong() == 0;
            });
            Map<String, String> placement = new TreeMap<>();
            for (List<Op> phase : phases) {
                for (Op op : phase) {
                    JsonNode where = api.get("/api/v1/where/sim-vs-mount/" + op.path());
                    placement.put(op.path(), where.get("chunks").get(0).get("tier").asText());
                }
            }
            return placement;
        }
    }

    private Map<String, String> runInSimulator(List<List<Op>> phases) throws IOException {
        Path trace = tmp.resolve("sequence.csv");
        StringBuilder csv = new StringBuilder("time,op,path,offset,size\n");
        double t = 0;
        for (List<Op> phase : phases) {
            t += 0.010;
            for (Op op : phase) {
                t += 0.001;
                csv.append(String.format(java.util.Locale.ROOT, "%.3f,write,/%s,0,%d%n", t, op.path(), MIB));
            }
        }
        Files.writeString(trace, csv);
        SimConfig cfg = SimConfigLoader.parse("""
                sim {
                  tiers = [
                    { name = dram, kind = dram, units = 1, capacity-per-unit = 16MiB, high-watermark = 0.8, low-watermark = 0.5 }
                    { name = ssd, kind = ssd, units = 1, capacity-per-unit = 64MiB, high-watermark = 0.8, low-watermark = 0.5 }
                    { name = hdd, kind = hdd, units = 1, capacity-per-unit = 8GiB }
                  ]
                  flush-interval = 500ms
                  workload { type = trace, path = "%s", format = csv }
                  baselines = []
                }
                """.formatted(trace));
        Map<String, String> placement = new TreeMap<>();
        try (CsvTraceSource src = new CsvTraceSource(trace)) {
            Simulation sim = new Simulation(cfg, "tiered");
            sim.run(src, ProgressListener.NONE);
            for (int id = 0; id < src.files(); id++) {
                placement.put(src.pathOf(id).substring(1), sim.primaryTierOf(id));
            }
        }
        return placement;
    }
}
