package io.tierfs.simulator.engine;

import io.tierfs.simulator.config.SimConfig;
import io.tierfs.simulator.config.SimConfigException;
import io.tierfs.simulator.config.SimConfigLoader;
import io.tierfs.simulator.trace.CsvTraceSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The simulated mover runs the policy engine's victim orders, not only LRU: a file read often long ago is the
 * first LRU victim but the last LFU or heat victim, and the largest file is the first size victim.
 */
class VictimOrderTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    /** hot (1 MiB) read 20 times, then c0..c6 (1 MiB each), big (2 MiB); the last write crosses 8 of 10 MiB. */
    private Path trace() throws IOException {
        StringBuilder csv = new StringBuilder("time,op,path,offset,size\n");
        double t = 0;
        csv.append(String.format(java.util.Locale.ROOT, "%.3f,write,/hot,0,%d%n", t += 0.001, MIB));
        for (int i = 0; i < 20; i++) {
            csv.append(String.format(java.util.Locale.ROOT, "%.3f,read,/hot,0,%d%n", t += 0.001, MIB));
        }
        for (int i = 0; i < 5; i++) {
            csv.append(String.format(java.util.Locale.ROOT, "%.3f,write,/c%d,0,%d%n", t += 0.001, i, MIB));
        }
        csv.append(String.format(java.util.Locale.ROOT, "%.3f,write,/big,0,%d%n", t += 0.001, 2 * MIB));
        csv.append(String.format(java.util.Locale.ROOT, "%.3f,write,/last,0,%d%n", t += 0.001, MIB));
        return Files.writeString(tmp.resolve("t.csv"), csv);
    }

    private String placeOf(String order, String file) throws IOException {
        Path trace = trace();
        SimConfig cfg = SimConfigLoader.parse("""
                sim {
                  tiers = [
                    { name = dram, kind = dram, units = 1, capacity-per-unit = 10MiB, high-watermark = 0.8, low-watermark = 0.5 }
                    { name = ssd, kind = ssd, units = 1, capacity-per-unit = 1GiB }
                  ]
                  policy { %s }
                  workload { type = trace, path = "%s", format = csv }
                  baselines = []
                }
                """.formatted(order, trace));
        try (CsvTraceSource src = new CsvTraceSource(trace)) {
            Simulation sim = new Simulation(cfg, "t");
            sim.run(src, ProgressListener.NONE);
            for (int id = 0; id < src.files(); id++) {
                if (src.pathOf(id).equals("/" + file)) {
                    return sim.primaryTierOf(id);
                }
            }
        }
        throw new AssertionError("no file " + file);
    }

    @Test
    void lruDemotesTheOldFileLfuAndHeatKeepItSizeTakesTheLargest() throws IOException {
        assertEquals("ssd", placeOf("victim-order = lru", "hot"), "LRU: hot was last touched first");
        assertEquals("dram", placeOf("victim-order = lfu", "hot"), "LFU: 21 accesses against 1");
        assertEquals("dram", placeOf("victim-order = heat, half-life = 1h", "hot"), "heat: 21 recent accesses");
        assertEquals("ssd", placeOf("victim-order = size", "big"), "size: the largest goes first");
        assertEquals("dram", placeOf("victim-order = lru", "big"), "LRU: big is recent");
        assertEquals("ssd", placeOf("victim-order = weight, weight = \"accesses < 2\"", "c0"),
                "weight: files accessed once score 1 and go first");
        assertEquals("dram", placeOf("victim-order = weight, weight = \"accesses < 2\"", "hot"));
    }

    @Test
    void badOrdersAreConfigErrors() {
        SimConfigException e = assertThrows(SimConfigException.class,
                () -> placeOf("victim-order = mru", "hot"));
        assertTrue(e.getMessage().contains("lfu") && e.getMessage().contains("heat"), e.getMessage());
        e = assertThrows(SimConfigException.class, () -> placeOf("victim-order = weight", "hot"));
        assertTrue(e.getMessage().contains("expression"), e.getMessage());
        e = assertThrows(SimConfigException.class,
                () -> placeOf("victim-order = weight, weight = \"size * (\"", "hot"));
        assertTrue(e.getMessage().contains("sim.policy.weight"), e.getMessage());
    }
}
