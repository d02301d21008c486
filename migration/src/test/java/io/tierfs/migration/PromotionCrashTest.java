package io.tierfs.migration;

import io.tierfs.common.config.TierFsConfig;
import io.tierfs.tier.ChunkPlacement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A promotion SSD to DRAM (the same ChunkMove, upward) interrupted at each step: the reopened store has the file
 * intact; a switched promotion keeps its source as the durable copy (recovery must not free it), which also
 * survives a reboot that empties DRAM.
 */
class PromotionCrashTest {
    @TempDir
    Path tmp;
    Path dram;

    @BeforeEach
    void setUp() {
        dram = Path.of("/dev/shm", "tierfs-test-" + UUID.randomUUID());
    }

    @AfterEach
    void tearDown() {
        TestSupport.deleteTree(dram);
    }

    @ParameterizedTest
    @CsvSource({
            "after-intent, false, 0, 0, ssd", "after-copy, false, 1, 0, ssd", "after-switch, false, 1, 1, dram",
            "after-switch, true, 1, 0, ssd"})
    void anInterruptedPromotionLosesNothing(String step, boolean reboot, int extraBefore, int extraAfter,
                                            String tierAfter) throws Exception {
        Path log = tmp.resolve("child.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-D" + FaultPoints.PROPERTY + "=" + step,
                PromotionCrashChild.class.getName(), tmp.toString(), dram.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child finished");
        assertEquals(FaultPoints.HALT_STATUS, p.exitValue(), () -> "child halted at the fault point:\n" + read(log));
        int chunks = (PromotionCrashChild.SIZE + PromotionCrashChild.CS - 1) / PromotionCrashChild.CS;
        assertEquals(chunks + extraBefore, allFiles(), "files before recovery");
        if (reboot) {
            TestSupport.deleteTree(dram);
        }
        TierFsConfig cfg = TestSupport.config(tmp, dram, PromotionCrashChild.CS, 1L << 30, 1L << 30, 1L << 30,
                null, null);
        byte[] data = TestSupport.random(PromotionCrashChild.INO, PromotionCrashChild.SIZE);
        try (TieredStorage s = TieredStorage.open(cfg, Clock.systemUTC(), "local", false)) {
            assertArrayEquals(data, TestSupport.read(s, PromotionCrashChild.INO, 0, data.length));
            List<ChunkPlacement> where = s.where(PromotionCrashChild.INO);
            assertEquals(chunks, where.size());
            assertEquals(tierAfter, where.get(0).tier(), "the interrupted chunk rolled back or forward");
            if (tierAfter.equals("dram")) {
                assertEquals("ssd", where.get(0).durableTier(), "the promoted chunk keeps its durable copy");
            }
            assertEquals(chunks + extraAfter, allFiles(), "one file per chunk, plus a kept durable copy");
            s.engine().flushDirty(true);
            s.fsync(PromotionCrashChild.INO);
        }
        // and after another restart that empties DRAM, the data is still whole
        TestSupport.deleteTree(dram);
        try (TieredStorage s = TieredStorage.open(cfg, Clock.systemUTC(), "local", false)) {
            assertArrayEquals(data, TestSupport.read(s, PromotionCrashChild.INO, 0, data.length));
        }
    }

    private long allFiles() {
        return TestSupport.files(dram) + TestSupport.files(tmp.resolve("ssd")) + TestSupport.files(tmp.resolve("hdd"));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
