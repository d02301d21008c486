package io.tierfs.tier.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Errno;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data plane over real TCP on 127.0.0.1 against real chunk files: every op, integrity, failures, concurrency. */
class ChunkClientServerTest {
    private static final String OWNER = "node-7";

    @TempDir
    Path dir;

    private DirectoryChunkRepository repo;
    private ChunkServer server;
    private ChunkClient client;
    private InetSocketAddress addr;
    private final AtomicLong quota = new AtomicLong(Long.MAX_VALUE);

    @BeforeEach
    void start() {
        repo = newRepo();
        server = new ChunkServer(repo, "127.0.0.1", 0);
        addr = server.address();
        client = new ChunkClient(DataPlaneSettings.defaults().withConnectTimeout(Duration.ofSeconds(1)));
    }

    private DirectoryChunkRepository newRepo() {
        DirectoryChunkRepository[] self = new DirectoryChunkRepository[1];
        self[0] = new DirectoryChunkRepository(dir.resolve("lent"),
                (owner, growth) -> self[0].usedBytes(owner) + growth <= quota.get());
        return self[0];
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static ChunkKey key(long ino, int chunk) {
        return new ChunkKey(OWNER, ino, chunk, 1);
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private byte[] readAll(ChunkKey k, int n) {
        ByteBuffer dst = ByteBuffer.allocate(n);
        int got = client.read(addr, k, 0, dst);
        assertEquals(n, got, "bytes read of " + k);
        return dst.array();
    }

    @Test
    void everyOpRoundTrips() {
        ChunkKey k = key(5, 0);
        assertTrue(client.ping(addr).toNanos() > 0);
        byte[] data = random(10_000, 1);
        client.write(addr, k, 0, ByteBuffer.wrap(data));
        assertEquals(10_000, client.size(addr, k));
        assertArrayEquals(data, readAll(k, 10_000));
        CRC32C crc = new CRC32C();
        crc.update(data);
        assertEquals(crc.getValue(), client.crc32c(addr, k, 10_000));
        assertEquals(repo.crc32c(k, 12_000), client.crc32c(addr, k, 12_000));

        client.truncate(addr, k, 4_000);
        assertEquals(4_000, client.size(addr, k));
        client.truncate(addr, k, 6_000);
        assertEquals(6_000, repo.size(k), "TRUNCATE lengthens too, like ftruncate");
        client.write(addr, key(6, 2), 100, ByteBuffer.wrap(data, 0, 50));
        assertEquals(Map.of(k, 6_000L, key(6, 2), 150L), client.list(addr, OWNER));
        assertEquals(Map.of(), client.list(addr, "nobody"));
        assertEquals(6_150, repo.usedBytes(OWNER));

        client.delete(addr, k);
        client.delete(addr, k);
        DataPlaneException missing = assertThrows(DataPlaneException.class, () -> client.size(addr, k));
        assertEquals(DataPlaneException.Kind.REMOTE, missing.kind());
        assertEquals(Errno.ENOENT, missing.errno());
        assertTrue(missing.noSuchChunk() && missing.getMessage().contains("127.0.0.1:" + addr.getPort()),
                missing.getMessage());
        assertThrows(DataPlaneException.class, () -> client.read(addr, k, 0, ByteBuffer.allocate(1)));

        client.deleteOwner(addr, OWNER);
        assertEquals(Map.of(), client.list(addr, OWNER));
        assertEquals(0, repo.usedBytes());
    }

    @Test
    void largeTransfersGoInPiecesAndKeepEofSemantics() {
        ChunkKey k = key(9, 0);
        byte[] data = random((4 << 20) + 3, 2);
        client.write(addr, k, 0, ByteBuffer.wrap(data));
        ByteBuffer dst = ByteBuffer.allocateDirect(6 << 20);
        assertEquals(data.length, client.read(addr, k, 0, dst), "short read at the end across several pieces");
        byte[] got = new byte[data.length];
        dst.flip().get(got);
        assertArrayEquals(data, got);
        ByteBuffer tail = ByteBuffer.allocate(3 << 20);
        assertEquals(data.length - (2 << 20), client.read(addr, k, 2 << 20, tail));
        assertEquals(-1, client.read(addr, k, data.length, ByteBuffer.allocate(2 << 20)));
    }

    @Test
    void corruptWritesAreRefusedAndResent() {
        ChunkKey k = key(11, 0);
        byte[] data = random(300_000, 3);
        client.wireFaults().corruptNext(DataPlaneSettings.DEFAULT_MAX_RETRIES);
        client.write(addr, k, 0, ByteBuffer.wrap(data));
        assertEquals(DataPlaneSettings.DEFAULT_MAX_RETRIES, client.wireFaults().injected());
        assertArrayEquals(data, readAll(k, data.length), "what the server stored is what was sent");
    }

    @Test
    void corruptReadRepliesAreAskedForAgain() {
        ChunkKey k = key(12, 0);
        byte[] data = random(200_000, 4);
        client.write(addr, k, 0, ByteBuffer.wrap(data));
        server.wireFaults().corruptNext(2);
        assertArrayEquals(data, readAll(k, data.length));
        assertEquals(2, server.wireFaults().injected());
    }

    @Test
    void persistentCorruptionFailsAsCorruptInBothDirections() {
        ChunkKey k = key(13, 0);
        byte[] data = random(1000, 5);
        client.write(addr, k, 0, ByteBuffer.wrap(data));

        int tries = DataPlaneSettings.DEFAULT_MAX_RETRIES + 1;
        client.wireFaults().corruptNext(tries);
        DataPlaneException w = assertThrows(DataPlaneException.class,
                () -> client.write(addr, k, 0, ByteBuffer.wrap(random(1000, 6))));
        assertEquals(DataPlaneException.Kind.CORRUPT, w.kind());
        assertEquals(Errno.EIO, w.errno());
        assertTrue(w.getMessage().contains("tries"), w.getMessage());
        assertArrayEquals(data, readAll(k, 1000), "no corrupt write was applied");

        server.wireFaults().corruptNext(tries);
        DataPlaneException r = assertThrows(DataPlaneException.class, () -> readAll(k, 1000));
        assertEquals(DataPlaneException.Kind.CORRUPT, r.kind());
        assertEquals(tries, server.wireFaults().injected());
        assertArrayEquals(data, readAll(k, 1000), "the next read is clean");
    }

    @Test
    void quotaRefusalIsRemoteEnospcAndChangesNothing() {
        quota.set(1 << 20);
        ChunkKey k = key(14, 0);
        byte[] data = random(1 << 20, 7);
        client.write(addr, k, 0, ByteBuffer.wrap(data));
        DataPlaneException e = assertThrows(DataPlaneException.class,
                () -> client.write(addr, k, 1 << 20, ByteBuffer.wrap(new byte[1])));
        assertEquals(DataPlaneException.Kind.REMOTE, e.kind());
        assertEquals(Errno.ENOSPC, e.errno());
        assertThrows(DataPlaneException.class, () -> client.truncate(addr, k, (1 << 20) + 1));
        assertThrows(DataPlaneException.class, () -> client.write(addr, key(15, 0), 0, ByteBuffer.wrap(new byte[1])));
        assertEquals(1 << 20, client.size(addr, k));
        assertEquals(1 << 20, repo.usedBytes(OWNER));
        assertEquals(Map.of(k, (long) (1 << 20)), client.list(addr, OWNER));
        assertArrayEquals(data, readAll(k, 1 << 20));
    }

    @Test
    void aClosedServerIsUnreachableWithinTheConnectTimeout() throws Exception {
        client.write(addr, key(16, 0), 0, ByteBuffer.wrap(new byte[10]));
        server.close();
        long t0 = System.nanoTime();
        DataPlaneException e = assertThrows(DataPlaneException.class, () -> client.size(addr, key(16, 0)));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(DataPlaneException.Kind.UNREACHABLE, e.kind());
        assertEquals(Errno.EIO, e.errno());
        assertTrue(e.getMessage().contains("127.0.0.1:" + addr.getPort()), e.getMessage());
        assertTrue(millis < 1000, "failed after " + millis + " ms");

        int unused;
        try (ServerSocket s = new ServerSocket(0)) {
            unused = s.getLocalPort();
        }
        InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", unused);
        DataPlaneException refused = assertThrows(DataPlaneException.class, () -> client.ping(nobody));
        assertEquals(DataPlaneException.Kind.UNREACHABLE, refused.kind());
        server = new ChunkServer(repo, "127.0.0.1", 0); // for @AfterEach
    }

    @Test
    void aSilentServerTimesOut() {
        BlockingRepository slow = new BlockingRepository(repo);
        try (ChunkServer s = new ChunkServer(slow, "127.0.0.1", 0);
             ChunkClient c = new ChunkClient(DataPlaneSettings.defaults().withRequestTimeout(Duration.ofMillis(300)))) {
            c.write(s.address(), key(17, 0), 0, ByteBuffer.wrap(new byte[5]));
            long t0 = System.nanoTime();
            DataPlaneException e = assertThrows(DataPlaneException.class, () -> c.size(s.address(), key(17, 0)));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(DataPlaneException.Kind.TIMEOUT, e.kind());
            assertEquals(Errno.ETIMEDOUT, e.errno());
            assertTrue(millis >= 290 && millis < 3000, "timed out after " + millis + " ms");
            slow.release.countDown();
            assertEquals(5, c.size(s.address(), key(17, 0)), "the connection still works after a timeout");
        }
    }

    @Test
    void anFsyncWaitsForItsOwnTimeoutNotTheRequestTimeout() throws Exception {
        BlockingRepository slow = new BlockingRepository(repo);
        try (ChunkServer s = new ChunkServer(slow, "127.0.0.1", 0);
             ChunkClient c = new ChunkClient(DataPlaneSettings.defaults().withRequestTimeout(Duration.ofMillis(300)))) {
            c.write(s.address(), key(18, 0), 0, ByteBuffer.wrap(new byte[5]));
            java.util.concurrent.CompletableFuture<Void> longFsync = java.util.concurrent.CompletableFuture.runAsync(
                    () -> c.fsync(s.address(), key(18, 0), Duration.ofSeconds(60)));
            // the home takes longer than the request timeout to make the file durable: a plain fsync gives up ...
            DataPlaneException e = assertThrows(DataPlaneException.class, () -> c.fsync(s.address(), key(18, 0)));
            assertEquals(DataPlaneException.Kind.TIMEOUT, e.kind());
            assertTrue(!longFsync.isDone(), "the fsync with its own timeout still waits");
            slow.fsyncRelease.countDown();
            longFsync.get(30, TimeUnit.SECONDS); // ... the one with its own timeout gets the home's answer
        }
    }

    @Test
    void eightThreadsWriteAndReadTheirOwnChunks() throws Exception {
        int threads = 8;
        int chunkBytes = 2 << 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    for (int round = 0; round < 3; round++) {
                        ChunkKey k = key(100 + id, round);
                        byte[] data = random(chunkBytes, id * 10L + round);
                        for (int off = 0; off < chunkBytes; off += 256 << 10) { // 256 KiB writes
                            client.write(addr, k, off, ByteBuffer.wrap(data, off, 256 << 10));
                        }
                        assertArrayEquals(data, readAll(k, chunkBytes), "thread " + id + " round " + round);
                        CRC32C crc = new CRC32C();
                        crc.update(data);
                        assertEquals(crc.getValue(), client.crc32c(addr, k, chunkBytes));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * 3, client.list(addr, OWNER).size());
        assertEquals((long) threads * 3 * chunkBytes, repo.usedBytes(OWNER));
    }

    @Test
    void aRestartedServerListsTheSameChunks() {
        for (int i = 0; i < 5; i++) {
            client.write(addr, key(200 + i, i), i * 1000L, ByteBuffer.wrap(random(777, i)));
        }
        client.write(addr, new ChunkKey("other", 1, 0, 9), 0, ByteBuffer.wrap(new byte[3]));
        Map<ChunkKey, Long> before = client.list(addr, OWNER);
        server.close();

        repo = newRepo();
        server = new ChunkServer(repo, "127.0.0.1", 0);
        addr = server.address();
        assertEquals(before, client.list(addr, OWNER));
        assertEquals(5, before.size());
        assertEquals(before.values().stream().mapToLong(Long::longValue).sum(), repo.usedBytes(OWNER));
        assertEquals(repo.usedBytes(OWNER) + 3, repo.usedBytes());
        assertArrayEquals(random(777, 3), java.util.Arrays.copyOfRange(readAll(key(203, 3), 3777), 3000, 3777));
    }

    @Test
    void readsSettingsFromConfig() {
        DataPlaneSettings s = DataPlaneSettings.fromConfig(ConfigFactory.parseString(
                "tierfs.dataplane { connect-timeout = 500ms, max-retries = 5 }"));
        assertEquals(Duration.ofMillis(500), s.connectTimeout());
        assertEquals(5, s.maxRetries());
        assertEquals(DataPlaneSettings.DEFAULT_REQUEST_TIMEOUT, s.requestTimeout());
        assertEquals(DataPlaneSettings.DEFAULT_CONNECTIONS_PER_PEER, s.connectionsPerPeer());
        assertEquals(DataPlaneSettings.defaults(), DataPlaneSettings.fromConfig(ConfigFactory.empty()));
        assertThrows(IllegalArgumentException.class, () -> DataPlaneSettings.fromConfig(ConfigFactory.parseString(
                "tierfs.dataplane.connections-per-peer = 0")));
    }
}
