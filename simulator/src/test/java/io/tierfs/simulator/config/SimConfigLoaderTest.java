package io.tierfs.simulator.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimConfigLoaderTest {
    static final String TIERS = "tiers = [ { name = dram, kind = dram, units = 2, capacity-per-unit = 1GiB }, "
            + "{ name = hdd, kind = hdd, capacity-per-unit = 1TiB } ]\n";

    @Test
    void theShippedSampleLoads() {
        SimConfig c = SimConfigLoader.load(Path.of("sim.conf"));
        assertEquals(3, c.tiers().size());
        assertEquals(0, c.lenderTier());
        assertInstanceOf(WorkloadSpec.Checkpoint.class, c.workload());
        assertEquals(2, c.lenderJobs().size() + c.lenderSchedule().size());
    }

    @Test
    void defaultsComeFromTheTierKind() {
        SimConfig c = SimConfigLoader.parse("sim { " + TIERS + " }");
        assertEquals(261_000_000L, c.tiers().get(1).device().readBytesPerSecond());
        assertTrue(c.tiers().get(1).remote());
        assertEquals(0.9, c.tiers().get(0).highWatermark());
        assertEquals(5_000_000_000L, c.flushIntervalNanos());
    }

    @Test
    void anUnknownKeyIsNamed() {
        var e = assertThrows(SimConfigException.class, () -> SimConfigLoader.parse("sim { " + TIERS + " flush-intervall = 3s }"));
        assertTrue(e.getMessage().startsWith("sim.flush-intervall: unknown key"), e.getMessage());
        var e2 = assertThrows(SimConfigException.class, () -> SimConfigLoader.parse(
                "sim { tiers = [ { name = a, kind = ssd, capacity-per-unit = 1GiB, device { bandwith = 1GB } } ] }"));
        assertTrue(e2.getMessage().startsWith("sim.tiers[0].device.bandwith: unknown key"), e2.getMessage());
    }

    @Test
    void aNegativeCapacityIsRefused() {
        var e = assertThrows(SimConfigException.class, () -> SimConfigLoader.parse(
                "sim { tiers = [ { name = a, kind = ssd, capacity-per-unit = -1GiB } ] }"));
        assertEquals("sim.tiers[0].capacity-per-unit: must be positive, got -1GiB", e.getMessage());
    }

    @Test
    void aLowWatermarkAboveTheHighOneIsRefused() {
        var e = assertThrows(SimConfigException.class, () -> SimConfigLoader.parse(
                "sim { tiers = [ { name = a, kind = ssd, capacity-per-unit = 1GiB, high-watermark = 0.5, low-watermark = 0.8 } ] }"));
        assertEquals("tier 'a': need 0 <= low-watermark < high-watermark <= 1, got low=0.8 high=0.5", e.getMessage());
    }

    @Test
    void otherMistakesAreNamedToo() {
        assertTrue(assertThrows(SimConfigException.class, () -> SimConfigLoader.parse(
                "sim { tiers = [ { name = a, kind = dram, capacity-per-unit = 1GiB } ] }")).getMessage()
                .contains("last tier must be durable"));
        assertTrue(assertThrows(SimConfigException.class, () -> SimConfigLoader.parse(
                "sim { " + TIERS + " workload { type = zipf, files = many } }")).getMessage()
                .startsWith("sim.workload.files:"));
        assertTrue(assertThrows(SimConfigException.class, () -> SimConfigLoader.parse(
                "sim { " + TIERS + " lenders { jobs = [ { unit = 5, start = 1s, end = 2s, memory = 1GiB } ] } }")).getMessage()
                .contains("units 0..1"));
    }
}
