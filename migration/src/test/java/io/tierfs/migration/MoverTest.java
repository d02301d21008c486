package io.tierfs.migration;

import io.tierfs.common.config.TierFsConfig;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.TierUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.tierfs.migration.TestSupport.random;
import static io.tierfs.migration.TestSupport.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoverTest {
    static final int CS = 64 * 1024;
    static final long BIG = 1L << 30;

    @TempDir
    Path tmp;
    Path dram;
    TieredStorage store;

    @BeforeEach
    void setUp() {
        dram = Path.of("/dev/shm", "tierfs-test-" + UUID.randomUUID());
    }

    @AfterEach
    void tearDown() {
        TestSupport.closeAndDelete(store, dram);
    }

    TieredStorage open(long dramCap, long ssdCap, long hddCap, Duration flush, Duration mover, Clock clock) {
        TierFsConfig cfg = TestSupport.config(tmp, dram, CS, dramCap, ssdCap, hddCap, flush, mover);
        store = TieredStorage.open(cfg, clock, "local", mover != null);
        return store;
    }

    static List<String> tiers(TieredStorage s, long ino) {
        return s.where(ino).stream().map(ChunkPlacement::tier).distinct().toList();
    }

    @Test
    void demoteMovesADirtyFileDownTierByTierWithItsContents() {
        open(BIG, BIG, BIG, null, null, Clock.systemUTC());
        byte[] a = random(1, 3 * CS + 5);
        store.write(1, 0, ByteBuffer.wrap(a));
        assertTrue(store.demote(1, "ssd"));
        assertEquals(List.of("ssd"), tiers(store, 1));
        assertArrayEquals(a, read(store, 1, 0, a.length));
        assertTrue(store.demote(1, "hdd"));
        assertEquals(List.of("hdd"), tiers(store, 1));
        assertArrayEquals(a, read(store, 1, 0, a.length));
        List<TierUsage> u = store.usage();
        assertEquals(0, u.get(0).usedBytes());
        assertEquals(0, u.get(1).usedBytes());
        assertEquals(a.length, u.get(2).usedBytes());
        assertEquals(4, TestSupport.files(tmp.resolve("hdd")));
        assertEquals(0, TestSupport.files(tmp.resolve("ssd")) + TestSupport.files(dram));
        MoverStatus st = store.moverStatus();
        assertEquals(8, st.done());
        assertEquals(2L * a.length, st.bytesDown());
        assertEquals(0, st.failed());
    }

    @Test
    void demotingACleanDramChunkOnlyDropsTheDramCopy() {
        open(BIG, BIG, BIG, null, null, Clock.systemUTC());
        byte[] a = random(2, 2 * CS);
        store.write(1, 0, ByteBuffer.wrap(a));
        store.fsync(1);
        List<Long> durableGens = new ArrayList<>();
        long ssdFiles = TestSupport.files(tmp.resolve("ssd"));
        assertTrue(store.demote(1, "ssd"));
        assertEquals(List.of("ssd"), tiers(store, 1));
        assertEquals(ssdFiles, TestSupport.files(tmp.resolve("ssd")), "no new copy was written");
        assertEquals(0, TestSupport.files(dram));
        assertArrayEquals(a, read(store, 1, 0, a.length));
        store.write(1, 10, ByteBuffer.wrap(new byte[]{9}));
        assertEquals((byte) 9, read(store, 1, 10, 1)[0], "writes now go to the SSD copy in place");
        assertTrue(durableGens.isEmpty());
    }

    @Test
    void aRoundDemotesLeastRecentlyUsedFilesUntilUnderTheLowWatermark() {
        io.tierfs.common.time.ManualClock clock = io.tierfs.common.time.ManualClock.atMillis(1_000_000);
        open(10L * CS, BIG, BIG, null, null, clock);
        Map<Long, byte[]> data = new java.util.HashMap<>();
        for (long ino = 1; ino <= 5; ino++) {
            byte[] d = random(ino, 2 * CS);
            data.put(ino, d);
            store.write(ino, 0, ByteBuffer.wrap(d));
            clock.advanceMillis(1000);
        }
        // ino 1 is read last: it becomes the most recently used
        read(store, 1, 0, 10);
        assertEquals(10L * CS, store.usage().get(0).usedBytes());
        int moved = store.runMoverOnce();
        // 10 chunks > 90 %: down to <= 50 % = 5 chunks: the three least recently used files (2, 3, 4) move
        assertEquals(6, moved);
        assertEquals(List.of("dram"), tiers(store, 1));
        assertEquals(List.of("ssd"), tiers(store, 2));
        assertEquals(List.of("ssd"), tiers(store, 3));
        assertEquals(List.of("ssd"), tiers(store, 4));
        assertEquals(List.of("dram"), tiers(store, 5));
        assertEquals(4L * CS, store.usage().get(0).usedBytes());
        for (Map.Entry<Long, byte[]> e : data.entrySet()) {
            assertArrayEquals(e.getValue(), read(store, e.getKey(), 0, 2 * CS));
        }
        assertEquals(0, store.runMoverOnce(), "under the high watermark nothing moves");
    }

    @Test
    void writingMoreThanDramPlusSsdSucceedsWhileHddHasRoom() {
        open(4L * CS, 4L * CS, BIG, Duration.ofMillis(100), Duration.ofMillis(20), Clock.systemUTC());
        int files = 6;
        for (long ino = 1; ino <= files; ino++) {
            byte[] d = random(ino, 3 * CS + 100);
            for (int off = 0; off < d.length; off += 10_000) {
                store.write(ino, off, ByteBuffer.wrap(d, off, Math.min(10_000, d.length - off)));
            }
        }
        for (long ino = 1; ino <= files; ino++) {
            assertArrayEquals(random(ino, 3 * CS + 100), read(store, ino, 0, 3 * CS + 100));
        }
        assertTrue(store.usage().get(2).usedBytes() > 0);
    }

    @Test
    void contentsStayIdenticalWhileTheMoverDemotesUnderConcurrentReadersAndWriters() throws Exception {
        // tiny DRAM and SSD: the background mover and the flusher work all the time
        open(6L * CS, 12L * CS, BIG, Duration.ofMillis(50), Duration.ofMillis(10), Clock.systemUTC());
        int writers = 3;
        int fileSize = 4 * CS;
        Map<Long, byte[]> model = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        List<Future<Integer>> futures = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                long base = 100L * (w + 1);
                futures.add(pool.submit(() -> {
                    Random r = new Random(base);
                    int checks = 0;
                    for (int round = 0; round < 40; round++) {
                        long ino = base + r.nextInt(3);
                        byte[] d = model.computeIfAbsent(ino, i -> new byte[fileSize]);
                        int off = r.nextInt(fileSize - 1);
                        int len = 1 + r.nextInt(Math.min(fileSize - off, CS + 7));
                        byte[] patch = random(r.nextLong(), len);
                        synchronized (d) {
                            store.write(ino, off, ByteBuffer.wrap(patch));
                            System.arraycopy(patch, 0, d, off, len);
                        }
                        for (long i = base; i < base + 3; i++) {
                            byte[] m = model.get(i);
                            if (m == null) {
                                continue;
                            }
                            synchronized (m) {
                                if (TestSupport.crc(m) != TestSupport.crc(read(store, i, 0, fileSize))) {
                                    throw new AssertionError("inode " + i + " differs in round " + round);
                                }
                            }
                            checks++;
                        }
                        if (round % 10 == 9) {
                            store.fsync(ino);
                        }
                    }
                    return checks;
                }));
            }
            futures.add(pool.submit(() -> {
                // a reader that only reads whole files while they move
                int n = 0;
                while (!stop.get()) {
                    for (long ino : model.keySet()) {
                        read(store, ino, 0, fileSize);
                        n++;
                    }
                }
                return n;
            }));
            for (int w = 0; w < writers; w++) {
                assertTrue(futures.get(w).get() > 0);
            }
        } finally {
            stop.set(true);
            pool.shutdown();
        }
        futures.get(writers).get();
        assertTrue(store.awaitIdle(Duration.ofSeconds(30)));
        TestSupport.await("mover moved data", 10_000, () -> store.moverStatus().done() > 0);
        for (Map.Entry<Long, byte[]> e : model.entrySet()) {
            assertArrayEquals(e.getValue(), read(store, e.getKey(), 0, fileSize), "inode " + e.getKey());
        }
        // and after a restart that lost DRAM, everything fsynced or flushed is there
        for (long ino : model.keySet()) {
            store.fsync(ino);
        }
        store.close();
        store = null;
        TestSupport.deleteTree(dram);
        open(6L * CS, 12L * CS, BIG, null, null, Clock.systemUTC());
        for (Map.Entry<Long, byte[]> e : model.entrySet()) {
            assertArrayEquals(e.getValue(), read(store, e.getKey(), 0, fileSize), "inode " + e.getKey());
        }
        long copies = TestSupport.files(tmp.resolve("ssd")) + TestSupport.files(tmp.resolve("hdd"))
                + TestSupport.files(dram);
        assertEquals(store.usage().stream().mapToLong(TierUsage::chunks).sum(), copies, "no orphan files remain");
    }
}
