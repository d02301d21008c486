package io.tierfs.fuse;

import io.tierfs.meta.local.LocalNamespace;
import io.tierfs.vfs.InMemoryDataStore;
import io.tierfs.vfs.Vfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ParallelDirectWrites} on a real mount: writers of disjoint stripes of one file through one mount reach
 * the file system together when they write inside the file's size, one at a time with the switch off (the kernel's
 * inode lock), and every byte lands either way, also when the writers extend the file.
 */
class ParallelDirectWritesMountTest {
    private static final int WRITERS = 4;
    private static final int TRANSFER = 256 * 1024;
    private static final int PER_WRITER = 32;
    private static final long SIZE = (long) WRITERS * PER_WRITER * TRANSFER;

    @TempDir
    Path tmp;
    private LocalNamespace ns;
    private FuseMount mount;

    @AfterEach
    void unmount() throws Exception {
        System.clearProperty(TierFuse.PARALLEL_DIRECT_WRITES_PROPERTY);
        MountTeardown.unmountThenClose(mount, ns);
    }

    private Path mount() throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        ns = new LocalNamespace(Clock.systemUTC());
        Path mp = Files.createDirectory(tmp.resolve("mnt"));
        mount = FuseMount.mount(new TierFuse(new Vfs(ns, new InMemoryDataStore(1L << 30), Clock.systemUTC())), mp,
                List.of(), false);
        return mp;
    }

    @Test
    void writersInsideTheSizeOfOneFileWriteTogether() throws Exception {
        Path f = mount().resolve("shared");
        presize(f);
        boolean together = Await.until(Duration.ofSeconds(60), () -> {
            writeStripes(f, 0);
            return mount.mostWritesAtOnce() >= 2;
        });
        assertTrue(together, "4 writers of one file never had two writes in the file system at once: "
                + mount.mostWritesAtOnce());
        checkStripes(f, 0);
    }

    @Test
    void switchedOffTheKernelSendsOneWriteOfAFileAtATime() throws Exception {
        System.setProperty(TierFuse.PARALLEL_DIRECT_WRITES_PROPERTY, "false");
        Path f = mount().resolve("shared");
        presize(f);
        for (int round = 0; round < 3; round++) {
            writeStripes(f, round);
        }
        assertEquals(1, mount.mostWritesAtOnce(), "the inode lock held for each write's round trip");
        checkStripes(f, 2);
    }

    @Test
    void writersThatExtendTheFileLoseNothing() throws Exception {
        Path f = mount().resolve("growing");
        Files.createFile(f);
        writeStripes(f, 7);
        assertEquals(SIZE, Files.size(f), "the size is the largest end written");
        checkStripes(f, 7);
    }

    private static void presize(Path f) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(SIZE);
        }
    }

    /** Each writer opens the file write-only (a direct-I/O handle) and writes transfer k at stripe k*WRITERS+i. */
    private static void writeStripes(Path f, int round) {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < WRITERS; i++) {
                int writer = i;
                done.add(pool.submit(() -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(TRANSFER);
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        for (int k = 0; k < PER_WRITER; k++) {
                            long off = ((long) k * WRITERS + writer) * TRANSFER;
                            fill(buf, off, round);
                            while (buf.hasRemaining()) {
                                ch.write(buf, off + buf.position());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> d : done) {
                d.get();
            }
        } catch (Exception e) {
            throw new AssertionError("a writer failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every 8-byte word holds its offset and the round: a lost, misplaced or stale transfer never passes. */
    private static void fill(ByteBuffer buf, long off, int round) {
        buf.clear();
        for (int j = 0; j < TRANSFER; j += 8) {
            buf.putLong(j, (off + j) * 31 + round);
        }
    }

    private static void checkStripes(Path f, int round) throws IOException {
        assertEquals(SIZE, Files.size(f));
        ByteBuffer got = ByteBuffer.allocateDirect(TRANSFER);
        ByteBuffer want = ByteBuffer.allocateDirect(TRANSFER);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            for (long off = 0; off < SIZE; off += TRANSFER) {
                got.clear();
                while (got.hasRemaining() && ch.read(got, off + got.position()) > 0) {
                    // until the transfer is whole
                }
                got.flip();
                fill(want, off, round);
                int at = got.mismatch(want);
                assertEquals(-1, at, "wrong byte at offset " + (off + at));
            }
        }
    }
}
