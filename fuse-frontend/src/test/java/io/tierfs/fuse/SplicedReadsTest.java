package io.tierfs.fuse;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code struct fuse_bufvec} that {@link SplicedReads} hands libfuse, read back byte by byte as libfuse 2.9
 * reads it, and the lifetime of the descriptors in it (open until the same thread's next call, never leaked).
 */
class SplicedReadsTest {
    private static final Libfuse2.LibC LIBC = Libfuse2.loadLibC();
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    @TempDir
    Path tmp;
    private Path chunk;
    private byte[] content;

    @BeforeEach
    void chunkFile() throws IOException {
        content = new byte[64 * 1024];
        new Random(1).nextBytes(content);
        chunk = Files.write(tmp.resolve("chunk.0.1"), content);
    }

    private static Pointer bufp() {
        Pointer p = Memory.allocateDirect(RUNTIME, 8, true);
        p.putAddress(0, 0L);
        return p;
    }

    /** Where descriptor {@code fd} of this process points, or null if it is closed. */
    private static Path target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
        } catch (IOException e) {
            return null;
        }
    }

    /** How many descriptors of this process point at {@code file}. */
    private static long openDescriptorsOf(Path file) throws IOException {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> file.toAbsolutePath().equals(target(Integer.parseInt(fd.getFileName().toString()))))
                    .count();
        }
    }

    /** Frees the bufvec and its memory buffers as libfuse's fuse_free_buf does. */
    private static void freeAsLibfuse(Pointer vec) {
        long count = vec.getLong(0);
        for (int i = 0; i < count; i++) {
            long mem = vec.getAddress(SplicedReads.BUFVEC_HEADER + (long) SplicedReads.BUF_SIZE * i + 16);
            if (mem != 0) {
                LIBC.free(mem);
            }
        }
        LIBC.free(vec.address());
    }

    @Test
    void aReadBecomesABufvecOfAFileDescriptorAndAMemoryBuffer() {
        SplicedReads reads = new SplicedReads(LIBC, true);
        Pointer bufp = bufp();
        byte[] tail = "the tail, copied".getBytes();
        int n = reads.read(bufp, sink -> {
            assertTrue(sink.file(chunk, 100, 10_000));
            sink.memory(tail.length).put(tail);
            return 10_000 + tail.length;
        });
        assertEquals(10_000 + tail.length, n);

        Pointer vec = RUNTIME.getMemoryManager().newPointer(bufp.getAddress(0));
        assertEquals(2, vec.getLong(0), "count");
        assertEquals(0, vec.getLong(8), "idx");
        assertEquals(0, vec.getLong(16), "off");
        long b0 = SplicedReads.BUFVEC_HEADER;
        assertEquals(10_000, vec.getLong(b0), "size");
        assertEquals(SplicedReads.FUSE_BUF_IS_FD | SplicedReads.FUSE_BUF_FD_SEEK, vec.getInt(b0 + 8), "flags");
        assertEquals(0, vec.getAddress(b0 + 16), "no memory for a descriptor (libfuse frees mem)");
        int fd = vec.getInt(b0 + 24);
        assertEquals(chunk.toAbsolutePath(), target(fd), "the descriptor is the chunk file");
        assertEquals(100, vec.getLong(b0 + 32), "pos");
        long b1 = b0 + SplicedReads.BUF_SIZE;
        assertEquals(tail.length, vec.getLong(b1));
        assertEquals(0, vec.getInt(b1 + 8));
        byte[] copied = new byte[tail.length];
        RUNTIME.getMemoryManager().newPointer(vec.getAddress(b1 + 16)).get(0, copied, 0, copied.length);
        assertArrayEquals(tail, copied);
        assertEquals(10_000, reads.fileBytes());
        assertEquals(1, reads.heldDescriptors());
        freeAsLibfuse(vec);

        reads.releaseHeld(); // the next call of this thread: the reply has been spliced
        assertNotEquals(chunk.toAbsolutePath(), target(fd), "closed at the thread's next call");
        assertEquals(0, reads.heldDescriptors());
    }

    @Test
    void smallExtentsAndADisabledSpliceAreCopied() {
        SplicedReads reads = new SplicedReads(LIBC, true);
        SplicedReads copying = new SplicedReads(LIBC, false);
        for (SplicedReads r : new SplicedReads[]{reads, copying}) {
            Pointer bufp = bufp();
            int len = r == reads ? SplicedReads.MIN_SPLICE - 1 : content.length;
            r.read(bufp, sink -> {
                assertFalse(sink.file(chunk, 0, len));
                ByteBuffer b = sink.memory(len);
                b.put(content, 0, len);
                return len;
            });
            Pointer vec = RUNTIME.getMemoryManager().newPointer(bufp.getAddress(0));
            assertEquals(1, vec.getLong(0));
            assertEquals(0, vec.getInt(SplicedReads.BUFVEC_HEADER + 8), "a memory buffer");
            assertEquals(0, r.heldDescriptors());
            assertEquals(0, r.fileBytes());
            freeAsLibfuse(vec);
        }
    }

    @Test
    void anEmptyReadIsOneEmptyMemoryBuffer() {
        SplicedReads reads = new SplicedReads(LIBC, true);
        Pointer bufp = bufp();
        assertEquals(0, reads.read(bufp, sink -> 0));
        Pointer vec = RUNTIME.getMemoryManager().newPointer(bufp.getAddress(0));
        assertEquals(1, vec.getLong(0));
        assertEquals(0, vec.getLong(SplicedReads.BUFVEC_HEADER), "size 0");
        assertEquals(0, vec.getAddress(SplicedReads.BUFVEC_HEADER + 16), "mem NULL (free(NULL) is fine)");
        freeAsLibfuse(vec);
    }

    @Test
    void aMemoryBufferTheStoreLeftShortEndsTheReply() {
        SplicedReads reads = new SplicedReads(LIBC, true);
        Pointer bufp = bufp();
        reads.read(bufp, sink -> {
            sink.memory(100).put(new byte[40]); // a remote home had 40 bytes left
            sink.memory(500);                   // never reached by the reply
            return 40;
        });
        Pointer vec = RUNTIME.getMemoryManager().newPointer(bufp.getAddress(0));
        assertEquals(1, vec.getLong(0), "the reply ends with the short buffer");
        assertEquals(40, vec.getLong(SplicedReads.BUFVEC_HEADER), "and holds only what was filled");
        freeAsLibfuse(vec);
    }

    @Test
    void aFailedReadStoresNothingAndClosesWhatItOpened() throws IOException {
        SplicedReads reads = new SplicedReads(LIBC, true);
        Pointer bufp = bufp();
        FsException e = assertThrows(FsException.class, () -> reads.read(bufp, sink -> {
            assertTrue(sink.file(chunk, 0, content.length));
            sink.memory(1000);
            throw FsException.of(Errno.EIO, "the second chunk cannot be read");
        }));
        assertEquals(Errno.EIO, e.errno());
        assertEquals(0, bufp.getAddress(0), "libfuse gets no bufvec, only the error");
        assertEquals(0, reads.heldDescriptors());
        assertEquals(0, openDescriptorsOf(chunk), "the descriptor opened for the failed read is closed");
    }

    @Test
    void descriptorsOfAThreadThatEndedAreClosedAtUnmount() throws InterruptedException {
        SplicedReads reads = new SplicedReads(LIBC, true);
        AtomicInteger fd = new AtomicInteger();
        Thread t = new Thread(() -> {
            Pointer bufp = bufp();
            reads.read(bufp, sink -> {
                assertTrue(sink.file(chunk, 0, content.length));
                return content.length;
            });
            Pointer vec = RUNTIME.getMemoryManager().newPointer(bufp.getAddress(0));
            fd.set(vec.getInt(SplicedReads.BUFVEC_HEADER + 24));
            freeAsLibfuse(vec);
        });
        t.start();
        t.join();
        assertEquals(chunk.toAbsolutePath(), target(fd.get()));
        assertEquals(1, reads.heldDescriptors());
        reads.closeAll();
        assertEquals(0, reads.heldDescriptors());
        assertNotEquals(chunk.toAbsolutePath(), target(fd.get()));
    }

    @Test
    void readsAreSizedSoThatLibfuseCanSpliceThemThroughItsPipe() throws IOException {
        long pipeMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/pipe-max-size")).get(0).trim());
        int largest = SplicedReads.largestRead(1 << 20);
        assertEquals(0, largest % 4096, "whole pages");
        assertTrue(largest <= 1 << 20);
        if (pipeMax >= (1 << 20)) {
            // libfuse's pipe: the reply (16-byte header + data) and a page per iovec, per buffer and one more
            long needed = 4096L * (1 + 2 + 1) + 16 + largest;
            assertTrue(needed <= pipeMax, largest + " bytes in two buffers would not fit a pipe of " + pipeMax);
            assertTrue(largest >= (1 << 20) - 8 * 4096, "not smaller than it must be: " + largest);
        }
        assertEquals(128 * 1024, SplicedReads.largestRead(128 * 1024), "small requests are not shrunk");
    }
}
