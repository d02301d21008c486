package io.tierfs.tier.net;

import io.tierfs.common.Errno;
import io.tierfs.common.config.TierKind;
import io.tierfs.common.config.TierSpec;
import io.tierfs.tier.engine.TierEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file data service over real TCP and a real tier engine: what other members' writes do to a file homed here
 * (applied by this engine, under its chunk locks, never overwriting each other), and that FSYNC makes them durable.
 */
class FileDataRepositoryTest {
    private static final int CS = 64 * 1024;

    @TempDir
    Path tmp;

    private Path dram;
    private TierEngine engine;
    private FileDataRepository repository;
    private ChunkServer server;
    private ChunkClient client;
    private InetSocketAddress addr;

    @BeforeEach
    void start() {
        dram = Path.of("/dev/shm", "tierfs-filedata-" + UUID.randomUUID());
        engine = new TierEngine(List.of(
                new TierSpec("dram", TierKind.DRAM, dram, 64L << 20, 0.9, 0.7),
                new TierSpec("ssd", TierKind.SSD, tmp.resolve("ssd"), 256L << 20, 0.9, 0.7)),
                tmp.resolve("layout"), CS, null, Clock.systemUTC(), "home");
        repository = new FileDataRepository(engine);
        server = new ChunkServer(repository, "127.0.0.1", 0);
        addr = server.address();
        client = new ChunkClient(DataPlaneSettings.defaults());
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        server.close();
        engine.close();
        if (Files.exists(dram)) {
            try (Stream<Path> s = Files.walk(dram)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void aDeleteOfAFileOpenOnTheHomeLeavesItsDataToTheHome() {
        java.util.Set<Long> openHere = java.util.concurrent.ConcurrentHashMap.newKeySet();
        repository.keepDataOpenHere(openHere::contains);
        byte[] data = new byte[5000];
        new java.util.Random(11).nextBytes(data);
        client.write(addr, FileDataRepository.keyOf(70), 0, java.nio.ByteBuffer.wrap(data));
        client.write(addr, FileDataRepository.keyOf(71), 0, java.nio.ByteBuffer.wrap(data));
        openHere.add(70L);
        client.delete(addr, FileDataRepository.keyOf(70));
        client.delete(addr, FileDataRepository.keyOf(71));
        java.nio.ByteBuffer kept = java.nio.ByteBuffer.allocate(data.length);
        engine.read(70, 0, kept);
        org.junit.jupiter.api.Assertions.assertArrayEquals(data, kept.array(), "open on the home: kept");
        org.junit.jupiter.api.Assertions.assertTrue(engine.where(71).isEmpty(), "not open: freed at once");
    }

    @Test
    void concurrentUnalignedWritesOfManyClientsAllLand() throws Exception {
        long ino = 5000;
        int stripe = 1000; // not aligned: several writers inside every chunk
        int writers = 8;
        int stripes = writers * 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<ChunkClient> clients = new ArrayList<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                ChunkClient c = new ChunkClient(DataPlaneSettings.defaults()); // one member each
                clients.add(c);
                done.add(pool.submit(() -> {
                    for (int k = writer; k < stripes; k += writers) {
                        c.write(addr, FileDataRepository.keyOf(ino), (long) k * stripe, ByteBuffer.wrap(stripe(k, stripe)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            clients.forEach(ChunkClient::close);
        }
        ByteBuffer local = ByteBuffer.allocate(stripes * stripe);
        engine.read(ino, 0, local);
        ByteBuffer remote = ByteBuffer.allocate(stripes * stripe);
        assertEquals(stripes * stripe, client.read(addr, FileDataRepository.keyOf(ino), 0, remote));
        for (int k = 0; k < stripes; k++) {
            byte[] want = stripe(k, stripe);
            assertArrayEquals(want, java.util.Arrays.copyOfRange(local.array(), k * stripe, (k + 1) * stripe),
                    "stripe " + k + " in the home's engine");
            assertArrayEquals(want, java.util.Arrays.copyOfRange(remote.array(), k * stripe, (k + 1) * stripe),
                    "stripe " + k + " read back remotely");
        }
    }

    @Test
    void fsyncMakesRemoteWritesDurableBeforeItReturns() {
        long ino = 5001;
        client.write(addr, FileDataRepository.keyOf(ino), 10, ByteBuffer.wrap(stripe(1, 3 * CS)));
        assertTrue(engine.dirtyChunks() > 0, "written to DRAM, not yet durable (no flusher)");
        client.fsync(addr, FileDataRepository.keyOf(ino));
        assertEquals(0, engine.dirtyChunks(), "fsync returned after the copies reached the SSD");
    }

    @Test
    void truncateAndDeleteReachTheHomeAndChunkOpsAreRefused() {
        long ino = 5002;
        byte[] data = stripe(2, 2 * CS + 7);
        client.write(addr, FileDataRepository.keyOf(ino), 0, ByteBuffer.wrap(data));
        client.truncate(addr, FileDataRepository.keyOf(ino), 100);
        ByteBuffer b = ByteBuffer.allocate(CS);
        client.read(addr, FileDataRepository.keyOf(ino), 0, b);
        byte[] want = new byte[CS];
        System.arraycopy(data, 0, want, 0, 100);
        assertArrayEquals(want, b.array(), "bytes past a truncate read as zeros");
        assertEquals(100, client.size(addr, FileDataRepository.keyOf(ino)), "SIZE: the end of the data held here");
        DataPlaneException noClaims = assertThrows(DataPlaneException.class,
                () -> client.claim(addr, FileDataRepository.keyOf(ino), new ClaimAsk(0, 1, 1, 1 << 20, "m")));
        assertEquals(Errno.ENOTSUP, noClaims.errno(), "claims are served only where the member's claims are set");
        client.delete(addr, FileDataRepository.keyOf(ino));
        assertTrue(engine.where(ino).isEmpty(), "delete freed every chunk on the home");
        DataPlaneException e = assertThrows(DataPlaneException.class, () -> client.list(addr, FileDataRepository.OWNER));
        assertEquals(Errno.ENOTSUP, e.errno());
        DataPlaneException bad = assertThrows(DataPlaneException.class,
                () -> client.read(addr, new ChunkKey("node-1", ino, 0, 0), 0, ByteBuffer.allocate(10)));
        assertEquals(Errno.EINVAL, bad.errno(), "a lent-memory key is not a file");
    }

    @Test
    void appendsOfRemoteClientsAndOfTheHomeItselfLandWholeAndNeverOverlap() throws Exception {
        long ino = 5003;
        int remoteWriters = 6;
        int localWriters = 2;
        int perWriter = 30;
        int[] sizes = {1000, 70_000, 4096}; // 70 000 crosses 64 KiB chunk boundaries
        ExecutorService pool = Executors.newFixedThreadPool(remoteWriters + localWriters);
        List<ChunkClient> clients = new ArrayList<>();
        long total = 0;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < remoteWriters + localWriters; w++) {
                int writer = w;
                ChunkClient c = writer < remoteWriters ? new ChunkClient(DataPlaneSettings.defaults()) : null;
                if (c != null) {
                    clients.add(c);
                }
                for (int q = 0; q < perWriter; q++) {
                    total += sizes[(writer + q) % sizes.length];
                }
                done.add(pool.submit(() -> {
                    for (int q = 0; q < perWriter; q++) {
                        ByteBuffer rec = ByteBuffer.wrap(AppendRecords.record(writer, q,
                                sizes[(writer + q) % sizes.length]));
                        long at = c != null ? c.append(addr, FileDataRepository.keyOf(ino), 0, rec)
                                : engine.append(ino, 0, rec); // the home's own mount appends through its engine
                        assertTrue(at >= 0);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            clients.forEach(ChunkClient::close);
        }
        assertEquals(total, engine.dataEnd(ino), "the data ends where the appends sum up to");
        ByteBuffer all = ByteBuffer.allocate((int) total);
        engine.read(ino, 0, all);
        AppendRecords.check(all.array(), remoteWriters + localWriters, perWriter);
    }

    @Test
    void anAppendLandsAtTheLargerOfTheCallersEndAndTheDataEnd() {
        long ino = 5004;
        ChunkKey k = FileDataRepository.keyOf(ino);
        client.write(addr, k, 0, ByteBuffer.wrap(stripe(1, 3 * CS + 5)));
        assertEquals(3 * CS + 5, client.append(addr, k, 0, ByteBuffer.wrap(new byte[10])), "after the data");
        assertEquals(4 * CS, client.append(addr, k, 4 * CS, ByteBuffer.wrap(new byte[10])),
                "after a size the caller knows (a truncate that extended the file)");
        client.truncate(addr, k, 100);
        assertEquals(100, client.append(addr, k, 0, ByteBuffer.wrap(new byte[10])), "after what a truncate left");
        assertEquals(110, engine.dataEnd(ino));
    }

    @Test
    void anAppendThatArrivedCorruptIsSentAgainAndLandsOnce() {
        long ino = 5006;
        ChunkKey k = FileDataRepository.keyOf(ino);
        byte[] data = stripe(3, 5000);
        client.wireFaults().corruptNext(2);
        assertEquals(0, client.append(addr, k, 0, ByteBuffer.wrap(data)));
        assertEquals(2, client.wireFaults().injected());
        assertEquals(data.length, engine.dataEnd(ino), "refused twice (nothing written), applied once");
        ByteBuffer back = ByteBuffer.allocate(data.length);
        engine.read(ino, 0, back);
        assertArrayEquals(data, back.array());
    }

    @Test
    void aRetriedAppendIsAppliedOnce() {
        long ino = 5005;
        FileDataRepository repo = new FileDataRepository(engine);
        ChunkKey k = FileDataRepository.keyOf(ino);
        long first = repo.append(k, 0, 42L, ByteBuffer.wrap(stripe(1, 500)));
        long retry = repo.append(k, 0, 42L, ByteBuffer.wrap(stripe(1, 500)));
        assertEquals(first, retry, "the retry is answered with the first position");
        assertEquals(500, engine.dataEnd(ino), "and appends nothing");
        assertEquals(500, repo.append(k, 0, 43L, ByteBuffer.wrap(stripe(2, 500))), "another id appends");
    }

    private static byte[] stripe(int k, int size) {
        byte[] b = new byte[size];
        new Random(1000L + k).nextBytes(b);
        return b;
    }
}
