package io.tierfs.tier.engine;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.TierUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class TierEngineTest {
    static final int CS = 64 * 1024;
    static final long BIG = 1L << 30;

    @TempDir
    Path tmp;
    TestTiers tt;
    TierEngine engine;

    @BeforeEach
    void setUp() {
        tt = new TestTiers(tmp);
    }

    @AfterEach
    void tearDown() {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            tt.close();
        }
    }

    TierEngine open(long dram, long ssd, long hdd, Duration flush) {
        if (engine != null) {
            engine.close();
        }
        engine = new TierEngine(tt.specs(dram, ssd, hdd), tt.layoutDir(), CS, flush, Clock.systemUTC(), "local");
        return engine;
    }

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] read(TierEngine e, long ino, long off, int n) {
        ByteBuffer buf = ByteBuffer.allocate(n);
        assertEquals(n, e.read(ino, off, buf));
        return buf.array();
    }

    static void write(TierEngine e, long ino, long off, byte[] data) {
        e.write(ino, off, ByteBuffer.wrap(data));
    }

    @Test
    void randomWritesAtAnyOffsetMatchAModel() {
        open(BIG, BIG, BIG, null);
        int size = 5 * CS + 123;
        byte[] model = new byte[size];
        Random r = new Random(1);
        for (int i = 0; i < 300; i++) {
            int off = r.nextInt(size - 1);
            int len = 1 + r.nextInt(Math.min(size - off, 3 * CS));
            byte[] d = random(i, len);
            System.arraycopy(d, 0, model, off, len);
            write(engine, 7, off, d);
            if (i % 50 == 0) {
                assertArrayEquals(model, read(engine, 7, 0, size));
            }
        }
        assertArrayEquals(model, read(engine, 7, 0, size));
        // direct buffers work as well
        ByteBuffer direct = ByteBuffer.allocateDirect(size);
        engine.read(7, 0, direct);
        direct.flip();
        byte[] back = new byte[size];
        direct.get(back);
        assertArrayEquals(model, back);
    }

    @Test
    void holesAndUnwrittenRangesReadAsZeros() {
        open(BIG, BIG, BIG, null);
        byte[] d = random(2, 100);
        write(engine, 9, 10L * CS + 5, d);
        assertArrayEquals(new byte[3 * CS], read(engine, 9, 0, 3 * CS));
        byte[] around = read(engine, 9, 10L * CS, 200);
        assertArrayEquals(new byte[5], Arrays.copyOfRange(around, 0, 5));
        assertArrayEquals(d, Arrays.copyOfRange(around, 5, 105));
        assertArrayEquals(new byte[95], Arrays.copyOfRange(around, 105, 200));
        assertArrayEquals(new byte[CS], read(engine, 12345, 0, CS));
        assertEquals(1, engine.where(9).size(), "only the written chunk exists");
    }

    @Test
    void truncateShrinksAndGrowsInsideAndAcrossChunks() {
        open(BIG, BIG, BIG, null);
        int size = 4 * CS;
        byte[] model = random(3, size);
        write(engine, 5, 0, model);
        // shrink inside chunk 2
        long cut = 2L * CS + 1000;
        engine.truncate(5, cut);
        Arrays.fill(model, (int) cut, size, (byte) 0);
        assertArrayEquals(model, read(engine, 5, 0, size));
        assertEquals(3, engine.where(5).size());
        // grow: holes, then write beyond, the cut region stays zero
        write(engine, 5, 3L * CS + 10, new byte[]{1, 2, 3});
        model[3 * CS + 10] = 1;
        model[3 * CS + 11] = 2;
        model[3 * CS + 12] = 3;
        assertArrayEquals(model, read(engine, 5, 0, size));
        // shrink across chunks to a chunk boundary, then to inside chunk 0
        engine.truncate(5, CS);
        Arrays.fill(model, CS, size, (byte) 0);
        assertArrayEquals(model, read(engine, 5, 0, size));
        assertEquals(1, engine.where(5).size());
        engine.truncate(5, 10);
        Arrays.fill(model, 10, size, (byte) 0);
        assertArrayEquals(model, read(engine, 5, 0, size));
        assertEquals(10, engine.where(5).get(0).length());
        assertEquals(10, engine.usage().get(0).usedBytes(), "truncate gives bytes back");
        engine.truncate(5, 0);
        assertTrue(engine.where(5).isEmpty());
    }

    @Test
    void deleteFreesEverythingAndIsIdempotent() {
        open(BIG, BIG, BIG, null);
        write(engine, 3, 0, random(4, 3 * CS));
        engine.fsync(3);
        engine.delete(3);
        engine.delete(3);
        assertTrue(engine.where(3).isEmpty());
        for (TierUsage u : engine.usage()) {
            assertEquals(0, u.usedBytes(), u.name());
            assertEquals(0, u.chunks(), u.name());
        }
        assertEquals(0, TestTiers.files(tt.dram) + TestTiers.files(tmp.resolve("ssd")) + TestTiers.files(tmp.resolve("hdd")));
        assertArrayEquals(new byte[CS], read(engine, 3, 0, CS));
    }

    @Test
    void noSpaceWhenAllTiersAreFullAndNothingStoredIsLost() {
        open(2L * CS, 2L * CS, 2L * CS, null);
        byte[] a = random(5, 5 * CS);
        write(engine, 1, 0, a);
        // a write that needs two more chunks where only one fits: fails whole
        FsException e = assertThrows(FsException.class, () -> write(engine, 2, 0, random(6, 2 * CS)));
        assertEquals(Errno.ENOSPC, e.errno());
        assertTrue(engine.where(2).isEmpty(), "nothing of the failed write is visible");
        // growing the file past all tiers fails too and leaves its data as it was
        assertThrows(FsException.class, () -> write(engine, 1, 5L * CS - 10, random(7, 2 * CS)));
        assertArrayEquals(a, read(engine, 1, 0, 5 * CS));
        assertEquals(6L * CS - 5L * CS, 6L * CS - engine.usage().stream().mapToLong(TierUsage::usedBytes).sum());
        // the last chunk still fits
        write(engine, 2, 0, random(8, CS));
        assertThrows(FsException.class, () -> write(engine, 2, CS, new byte[1]));
        assertArrayEquals(a, read(engine, 1, 0, 5 * CS));
    }

    @Test
    void newChunksSpillToSlowerTiersWhenFastOnesAreFull() {
        open(2L * CS, 2L * CS, BIG, null);
        byte[] a = random(9, 8 * CS);
        write(engine, 1, 0, a);
        List<ChunkPlacement> w = engine.where(1);
        assertEquals(List.of("dram", "dram", "ssd", "ssd", "hdd", "hdd", "hdd", "hdd"),
                w.stream().map(ChunkPlacement::tier).toList());
        assertArrayEquals(a, read(engine, 1, 0, 8 * CS));
    }

    @Test
    void growingAChunkOnAFullTierRelocatesIt() {
        open(CS + CS / 2, BIG, BIG, null);
        byte[] a = random(10, CS);
        write(engine, 1, 0, a);
        byte[] b = random(11, CS);
        write(engine, 1, CS, Arrays.copyOf(b, CS / 4));
        assertEquals("dram", engine.where(1).get(1).tier());
        write(engine, 1, CS + CS / 4, Arrays.copyOfRange(b, CS / 4, CS));
        assertEquals("ssd", engine.where(1).get(1).tier());
        assertArrayEquals(b, read(engine, 1, CS, CS));
        assertArrayEquals(a, read(engine, 1, 0, CS));
        assertEquals(CS, engine.usage().get(0).usedBytes());
        assertEquals(CS, engine.usage().get(1).usedBytes());
    }

    /** Found by xfstests' fsx on a 2 MiB DRAM tier: fsync answered EIO (an ArrayIndexOutOfBoundsException). */
    @Test
    void aChunkRelocatedToADurableTierAfterItsDurableCopyWasCutStillFsyncs() {
        open(CS + CS / 2, BIG, BIG, null);
        byte[] a = random(20, CS);
        write(engine, 1, 0, a);
        byte[] b = random(21, CS / 2);
        write(engine, 1, CS, b);
        engine.fsync(1); // durable copies of both chunks on SSD
        engine.truncate(1, CS + CS / 4); // cuts chunk 1 and its durable copy (not yet forced)
        byte[] c = random(22, CS / 2);
        write(engine, 1, CS + CS / 4, c); // grows chunk 1 beyond DRAM's room: relocated to SSD
        assertEquals("ssd", engine.where(1).get(1).tier());
        engine.fsync(1);
        byte[] expected = new byte[CS + CS / 4 + CS / 2];
        System.arraycopy(a, 0, expected, 0, CS);
        System.arraycopy(b, 0, expected, CS, CS / 4);
        System.arraycopy(c, 0, expected, CS + CS / 4, CS / 2);
        assertArrayEquals(expected, read(engine, 1, 0, expected.length));
        open(CS + CS / 2, BIG, BIG, null); // and after a restart
        assertArrayEquals(expected, read(engine, 1, 0, expected.length));
    }

    /**
     * Once the durable copy of a DRAM chunk is forced, the page cache does not keep a second in-memory copy of it
     * (the bytes are in DRAM); the control file on the same file system, written and forced the same way, keeps its
     * pages, so the check can fail.
     */
    @Test
    void theForcedDurableCopyOfADramChunkLeavesNoPagesInThePageCache() throws Exception {
        Path ssd = tmp.resolve("ssd");
        open(BIG, BIG, BIG, null);
        assumeFalse("tmpfs".equals(Files.getFileStore(tmp).type()), "the SSD tier directory is on tmpfs: pages are the file");
        byte[] a = random(30, 3 * CS);
        write(engine, 7, 0, a);
        engine.fsync(7);
        List<Path> copies;
        try (Stream<Path> s = Files.walk(ssd)) {
            copies = s.filter(Files::isRegularFile).toList();
        }
        assertEquals(3, copies.size(), "one durable copy per chunk");
        Path control = tmp.resolve("control");
        try (FileChannel ch = FileChannel.open(control, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(a, 0, CS));
            ch.force(true);
        }
        assertTrue(resident(control), "a written and forced file keeps its pages");
        for (Path copy : copies) {
            assertFalse(resident(copy), copy + " is still in the page cache");
        }
        assertEquals(List.of("dram", "dram", "dram"), engine.where(7).stream().map(ChunkPlacement::tier).toList());
        assertArrayEquals(a, read(engine, 7, 0, a.length));
    }

    /** Whether every page of {@code file} is in the page cache (mincore through a fresh read-only mapping). */
    private static boolean resident(Path file) throws java.io.IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).isLoaded();
        }
    }

    @Test
    void fsyncThenReopenAndThenRebootKeepData() {
        open(BIG, BIG, BIG, null);
        byte[] a = random(12, 3 * CS + 17);
        write(engine, 42, 100, a);
        assertTrue(engine.where(42).stream().allMatch(ChunkPlacement::dirty));
        engine.fsync(42);
        assertTrue(engine.where(42).stream().noneMatch(ChunkPlacement::dirty));
        assertTrue(engine.where(42).stream().allMatch(p -> "ssd".equals(p.durableTier())));
        // process restart: DRAM survives and is used
        open(BIG, BIG, BIG, null);
        assertArrayEquals(a, read(engine, 42, 100, a.length));
        assertEquals("dram", engine.where(42).get(0).tier());
        // reboot: DRAM is gone, the durable copies serve
        engine.close();
        engine = null;
        tt.wipeDram();
        open(BIG, BIG, BIG, null);
        assertArrayEquals(a, read(engine, 42, 100, a.length));
        assertTrue(engine.where(42).stream().allMatch(p -> p.tier().equals("ssd") && !p.dirty()));
        assertEquals(0, engine.usage().get(0).usedBytes());
        assertEquals(engine.usage().get(1).usedBytes(), engine.where(42).stream().mapToLong(ChunkPlacement::length).sum());
    }

    @Test
    void writesAfterFsyncToACleanChunkMakeItDirtyAgain() {
        open(BIG, BIG, BIG, null);
        write(engine, 1, 0, random(13, CS));
        engine.fsync(1);
        assertFalse(engine.where(1).get(0).dirty());
        byte[] patch = random(14, 100);
        write(engine, 1, 50, patch);
        assertTrue(engine.where(1).get(0).dirty());
        engine.fsync(1);
        engine.close();
        engine = null;
        tt.wipeDram();
        open(BIG, BIG, BIG, null);
        assertArrayEquals(patch, read(engine, 1, 50, 100));
    }

    @Test
    void flusherMakesDataDurableWithinTheInterval() {
        open(BIG, BIG, BIG, Duration.ofMillis(200));
        byte[] a = random(15, 2 * CS);
        write(engine, 8, 0, a);
        TestTiers.await("chunks clean", 3_000, () -> engine.where(8).stream().noneMatch(ChunkPlacement::dirty));
        engine.close();
        engine = null;
        tt.wipeDram();
        open(BIG, BIG, BIG, null);
        assertArrayEquals(a, read(engine, 8, 0, a.length));
    }

    @Test
    void aCleanCloseIsASyncSoARebootAfterItLosesNothing() {
        open(BIG, BIG, BIG, null);
        write(engine, 1, 0, random(16, CS));
        engine.fsync(1);
        byte[] notFsynced = random(17, CS);
        write(engine, 2, 0, notFsynced);
        assertTrue(engine.where(2).get(0).dirty(), "written, not yet flushed");
        engine.close();
        engine = null;
        tt.wipeDram();
        open(BIG, BIG, BIG, null);
        assertEquals(1, engine.where(1).size());
        assertEquals(1, engine.where(2).size(), "close flushed the dirty chunk to a durable tier");
        assertArrayEquals(notFsynced, read(engine, 2, 0, notFsynced.length));
        assertEquals(0, engine.usage().get(0).usedBytes(), "the DRAM copies went with the reboot");
    }

    @Test
    void orphanChunkFilesAreDeletedAtOpen() throws Exception {
        open(BIG, BIG, BIG, null);
        write(engine, 1, 0, random(18, CS));
        engine.fsync(1);
        engine.close();
        engine = null;
        Path orphanSsd = tmp.resolve("ssd").resolve("07").resolve("7.0.999");
        Files.createDirectories(orphanSsd.getParent());
        Files.write(orphanSsd, new byte[1000]);
        Path orphanDram = tt.dram.resolve("01").resolve("1.3.998");
        Files.write(orphanDram, new byte[10]);
        open(BIG, BIG, BIG, null);
        assertFalse(Files.exists(orphanSsd));
        assertFalse(Files.exists(orphanDram));
        assertEquals(CS, engine.usage().get(0).usedBytes());
        assertEquals(CS, engine.usage().get(1).usedBytes());
        // new generations do not collide with what was on disk
        write(engine, 7, 0, new byte[]{1});
        assertTrue(engine.where(7).get(0).generation() > 999);
    }

    @Test
    void concurrentWritesToDifferentRangesOfOneChunkBothLand() throws Exception {
        open(BIG, BIG, BIG, null);
        int threads = 4;
        int slice = CS / threads;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> fs = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tt2 = t;
                fs.add(pool.submit(() -> {
                    go.await();
                    for (int round = 0; round < 50; round++) {
                        byte[] d = new byte[slice];
                        Arrays.fill(d, (byte) (tt2 * 50 + round));
                        write(engine, 1, (long) tt2 * slice, d);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        byte[] all = read(engine, 1, 0, CS);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < slice; i++) {
                assertEquals((byte) (t * 50 + 49), all[t * slice + i]);
            }
        }
    }

    @Test
    void usageCountsChunksAndFilesPerTier() {
        open(2L * CS, BIG, BIG, null);
        write(engine, 1, 0, random(19, CS));
        write(engine, 2, 0, random(20, 2 * CS));
        List<TierUsage> u = engine.usage();
        assertEquals(List.of("dram", "ssd", "hdd"), u.stream().map(TierUsage::name).toList());
        assertEquals(2, u.get(0).chunks());
        assertEquals(2, u.get(0).files());
        assertEquals(1, u.get(1).chunks());
        assertEquals(1, u.get(1).files());
        assertEquals(2L * CS, u.get(0).usedBytes());
        assertEquals("local", engine.where(1).get(0).node());
    }

    @Test
    void pathHintsSurviveARestartAndGoWithTheInode() {
        TierEngine e = open(BIG_FOR_HINTS, BIG_FOR_HINTS, BIG_FOR_HINTS, null);
        write(e, 5, 0, random(5, 1000));
        e.pathSeen(5, "/jobs/a/out.dat");
        e.pathSeen(6, "/other");
        e = open(BIG_FOR_HINTS, BIG_FOR_HINTS, BIG_FOR_HINTS, null);   // clean close and reopen
        assertEquals(java.util.Optional.of("/jobs/a/out.dat"), e.pathHint(5));
        e.pathSeen(5, "/jobs/b/out.dat");
        assertEquals(java.util.Optional.of("/jobs/b/out.dat"), e.pathHint(5));
        e.delete(5);
        assertEquals(java.util.Optional.empty(), e.pathHint(5));
        assertEquals(java.util.Optional.of("/other"), e.pathHint(6));
    }

    private static final long BIG_FOR_HINTS = 64L << 20;
}
