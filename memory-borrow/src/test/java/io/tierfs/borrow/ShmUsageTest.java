package io.tierfs.borrow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ShmUsageTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path tmp;

    @Test
    void logicalBytesSumsRegularFilesRecursively() throws IOException {
        Files.write(tmp.resolve("a"), new byte[1000]);
        Files.createDirectories(tmp.resolve("sub"));
        Files.write(tmp.resolve("sub/b"), new byte[24]);
        Files.createSymbolicLink(tmp.resolve("link"), tmp.resolve("a"));
        assertEquals(1024, ShmUsage.logicalBytes(tmp));
        assertEquals(0, ShmUsage.logicalBytes(tmp.resolve("missing")));
    }

    /** The measure a test uses to prove lent memory went back to the OS: the tmpfs mount's used pages. */
    @Test
    void deletingALentSlabGivesItsPagesBackToTheOs() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && ShmUsage.isTmpfs(shm), "needs /dev/shm on tmpfs");
        Path dir = Files.createTempDirectory(shm, "tierfs-shmusage-test");
        Path slab = dir.resolve("slab");
        long size = 64 * MIB;
        try {
            long before = ShmUsage.mountUsedBytes(dir);
            write(slab, size);
            long filled = ShmUsage.mountUsedBytes(dir);
            assertEquals(size, ShmUsage.logicalBytes(dir));
            // Other users of /dev/shm may change a few MiB meanwhile; 64 MiB stands well above that.
            assertTrue(filled - before > size - 16 * MIB, "used grew by " + (filled - before));
            Files.delete(slab);
            long after = ShmUsage.mountUsedBytes(dir);
            assertTrue(filled - after > size - 16 * MIB, "used fell by " + (filled - after));
            assertEquals(0, ShmUsage.logicalBytes(dir));
        } finally {
            Files.deleteIfExists(slab);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void aSparseFileCostsLogicalBytesButNoPages() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && ShmUsage.isTmpfs(shm), "needs /dev/shm on tmpfs");
        Path dir = Files.createTempDirectory(shm, "tierfs-shmusage-test");
        Path sparse = dir.resolve("sparse");
        try {
            long before = ShmUsage.mountUsedBytes(dir);
            try (FileChannel ch = FileChannel.open(sparse, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[]{1}), 256 * MIB - 1);
            }
            assertEquals(256 * MIB, ShmUsage.logicalBytes(dir));
            assertTrue(ShmUsage.mountUsedBytes(dir) - before < 64 * MIB, "a hole takes no memory");
        } finally {
            Files.deleteIfExists(sparse);
            Files.deleteIfExists(dir);
        }
    }

    private static void write(Path p, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) MIB);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long done = 0; done < size; done += MIB) {
                buf.clear();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
        }
    }
}
