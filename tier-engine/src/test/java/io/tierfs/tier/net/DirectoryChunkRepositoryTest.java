package io.tierfs.tier.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunk files, their layout on disk, the per-owner accounting and the quota gate, without the network. */
class DirectoryChunkRepositoryTest {
    @TempDir
    Path root;

    private static final ChunkKey A = new ChunkKey("node-a", 0x1234, 3, 7);

    @Test
    void storesOneFilePerChunkUnderOwnerAndBucket() {
        DirectoryChunkRepository repo = new DirectoryChunkRepository(root, QuotaGate.UNLIMITED);
        repo.write(A, 0, bytes("hello"));
        assertTrue(Files.isRegularFile(root.resolve("node-a").resolve("34").resolve("4660.3.7")));
        assertEquals(5, repo.size(A));
        assertEquals(5, repo.usedBytes("node-a"));
        assertEquals(5, repo.usedBytes());
    }

    @Test
    void holesReadAsZerosAndEofFollowsFileChannel() {
        DirectoryChunkRepository repo = new DirectoryChunkRepository(root, QuotaGate.UNLIMITED);
        repo.write(A, 10, bytes("abc"));
        ByteBuffer dst = ByteBuffer.allocate(20);
        assertEquals(13, repo.read(A, 0, dst), "short read at the end");
        byte[] expect = new byte[13];
        System.arraycopy("abc".getBytes(StandardCharsets.US_ASCII), 0, expect, 10, 3);
        assertArrayEquals(expect, java.util.Arrays.copyOf(dst.array(), 13));
        assertEquals(-1, repo.read(A, 13, ByteBuffer.allocate(4)), "at the end");
        assertEquals(-1, repo.read(A, 99, ByteBuffer.allocate(4)), "after the end");
        assertEquals(0, repo.read(A, 99, ByteBuffer.allocate(0)), "empty buffer");
        assertEquals(13, repo.usedBytes("node-a"), "a hole counts by its logical length");
    }

    @Test
    void missingChunksAreTypedAndDeleteIsIdempotent() {
        DirectoryChunkRepository repo = new DirectoryChunkRepository(root, QuotaGate.UNLIMITED);
        assertThrows(NoSuchChunkException.class, () -> repo.read(A, 0, ByteBuffer.allocate(1)));
        assertThrows(NoSuchChunkException.class, () -> repo.size(A));
        assertThrows(NoSuchChunkException.class, () -> repo.truncate(A, 5));
        NoSuchChunkException e = assertThrows(NoSuchChunkException.class, () -> repo.crc32c(A, 5));
        assertEquals(Errno.ENOENT, e.errno());
        repo.delete(A);
        repo.write(A, 0, ByteBuffer.allocate(0));
        assertEquals(0, repo.size(A), "an empty write creates the chunk");
        repo.delete(A);
        repo.delete(A);
        assertEquals(Map.of(), repo.list("node-a"));
    }

    @Test
    void truncateCutsAndExtendsAndCrcCountsPastTheEndAsZeros() {
        DirectoryChunkRepository repo = new DirectoryChunkRepository(root, QuotaGate.UNLIMITED);
        repo.write(A, 0, bytes("0123456789"));
        repo.truncate(A, 4);
        assertEquals(4, repo.size(A));
        assertEquals(4, repo.usedBytes());
        repo.truncate(A, 8);
        assertEquals(8, repo.size(A));
        assertEquals(8, repo.usedBytes("node-a"));
        byte[] expect = {'0', '1', '2', '3', 0, 0, 0, 0, 0, 0, 0, 0};
        CRC32C crc = new CRC32C();
        crc.update(expect);
        assertEquals(crc.getValue(), repo.crc32c(A, 12));
    }

    @Test
    void quotaRefusalIsEnospcAndChangesNothing() {
        AtomicLong limit = new AtomicLong(100);
        DirectoryChunkRepository[] self = new DirectoryChunkRepository[1];
        self[0] = new DirectoryChunkRepository(root, (owner, growth) -> self[0].usedBytes(owner) + growth <= limit.get());
        DirectoryChunkRepository repo = self[0];
        repo.write(A, 0, ByteBuffer.allocate(100));
        FsException e = assertThrows(FsException.class, () -> repo.write(A, 90, ByteBuffer.allocate(20)));
        assertEquals(Errno.ENOSPC, e.errno());
        assertEquals(100, repo.size(A));
        assertEquals(100, repo.usedBytes("node-a"));
        ChunkKey b = new ChunkKey("node-a", 1, 0, 1);
        assertThrows(FsException.class, () -> repo.write(b, 0, ByteBuffer.allocate(1)));
        assertFalse(Files.exists(repo.file(b)), "a refused write does not create the chunk");
        assertThrows(FsException.class, () -> repo.truncate(A, 101));
        assertEquals(100, repo.size(A));
        repo.write(A, 50, bytes("overwrite")); // no growth: admitted
        repo.write(new ChunkKey("node-b", 1, 0, 1), 0, ByteBuffer.allocate(100)); // the gate is per owner
        assertEquals(200, repo.usedBytes());
        limit.set(200);
        repo.write(A, 100, ByteBuffer.allocate(100));
        assertEquals(200, repo.usedBytes("node-a"));
    }

    @Test
    void aRestartedRepositoryKnowsWhatItHolds() throws Exception {
        DirectoryChunkRepository repo = new DirectoryChunkRepository(root, QuotaGate.UNLIMITED);
        repo.write(A, 0, ByteBuffer.allocate(300));
        repo.write(new ChunkKey("node-a", 77, 0, 2), 1000, ByteBuffer.allocate(24));
        repo.write(new ChunkKey("node-b", 5, 1, 1), 0, ByteBuffer.allocate(10));
        Files.writeString(root.resolve("node-a").resolve("34").resolve("junk"), "x");
        DirectoryChunkRepository again = new DirectoryChunkRepository(root, QuotaGate.UNLIMITED);
        assertEquals(repo.list("node-a"), again.list("node-a"));
        assertEquals(Map.of(A, 300L, new ChunkKey("node-a", 77, 0, 2), 1024L), again.list("node-a"));
        assertEquals(1324, again.usedBytes("node-a"));
        assertEquals(1334, again.usedBytes());
        again.deleteOwner("node-a");
        assertEquals(0, again.usedBytes("node-a"));
        assertEquals(10, again.usedBytes());
        assertFalse(Files.exists(root.resolve("node-a")));
        again.deleteOwner("node-a");
    }

    @Test
    void rejectsUnsafeOwnerNames() {
        for (String bad : new String[]{"..", ".", "a/b", "", "x y", "a\u00e9"}) {
            FsException e = assertThrows(FsException.class, () -> new ChunkKey(bad, 1, 0, 0), bad);
            assertEquals(Errno.EINVAL, e.errno());
        }
        assertEquals("n-1.x_Y", new ChunkKey("n-1.x_Y", 1, 0, 0).owner());
    }

    static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }
}
