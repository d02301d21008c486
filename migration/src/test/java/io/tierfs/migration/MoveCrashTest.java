package io.tierfs.migration;

import io.tierfs.common.config.TierFsConfig;
import io.tierfs.tier.ChunkPlacement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A child JVM halts in the middle of a move; the reopened store has the file intact and one copy per chunk. */
class MoveCrashTest {
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
            "ssd-to-hdd, after-intent, 0, ssd", "ssd-to-hdd, after-copy, 1, ssd", "ssd-to-hdd, after-switch, 1, hdd",
            "dram-to-ssd, after-intent, 0, dram", "dram-to-ssd, after-copy, 1, dram", "dram-to-ssd, after-switch, 1, ssd"})
    void aMoveInterruptedAtAnyStepLeavesExactlyOneAuthoritativeCopy(String scenario, String step, int extraFiles,
                                                                    String tierAfter)
            throws Exception {
        Path log = tmp.resolve("child.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-D" + FaultPoints.PROPERTY + "=" + step,
                CrashChild.class.getName(), tmp.toString(), dram.toString(), scenario)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child finished");
        assertEquals(FaultPoints.HALT_STATUS, p.exitValue(), () -> "child halted at the fault point:\n" + read(log));
        int chunks = (CrashChild.SIZE + CrashChild.CS - 1) / CrashChild.CS;
        // the halt hit chunk 0's move: after the copy there is one file too many (the target, or the source)
        assertEquals(chunks + extraFiles, allFiles(), "files before recovery");

        boolean fromSsd = scenario.equals("ssd-to-hdd");
        TierFsConfig cfg = TestSupport.config(tmp, dram, CrashChild.CS, fromSsd ? 1 : 1L << 30, 1L << 30, 1L << 30,
                null, null);
        try (TieredStorage s = TieredStorage.open(cfg, Clock.systemUTC(), "local", false)) {
            assertArrayEquals(TestSupport.random(CrashChild.INO, CrashChild.SIZE),
                    TestSupport.read(s, CrashChild.INO, 0, CrashChild.SIZE));
            List<ChunkPlacement> where = s.where(CrashChild.INO);
            assertEquals(chunks, where.size());
            assertEquals(tierAfter, where.get(0).tier(), "the interrupted chunk rolled back or forward");
            for (int i = 1; i < chunks; i++) {
                assertEquals(fromSsd ? "ssd" : "dram", where.get(i).tier(), "chunks not yet moved");
            }
            assertEquals(chunks, allFiles(), "exactly one file per chunk: the orphan was reclaimed");
            long used = s.usage().stream().mapToLong(u -> u.usedBytes()).sum();
            assertEquals(CrashChild.SIZE, used, "usage recomputed from the files");
            // and the store works on: finish the move
            assertTrue(s.demote(CrashChild.INO, fromSsd ? "hdd" : "ssd"));
            assertArrayEquals(TestSupport.random(CrashChild.INO, CrashChild.SIZE),
                    TestSupport.read(s, CrashChild.INO, 0, CrashChild.SIZE));
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
