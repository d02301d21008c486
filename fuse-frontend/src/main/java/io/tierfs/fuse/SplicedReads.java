package io.tierfs.fuse;

import io.tierfs.tier.ReadSink;
import jnr.ffi.LastError;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Answers libfuse's {@code read_buf} with a {@code struct fuse_bufvec} that names chunk files by descriptor, so that
 * libfuse (with {@code -o splice_write}) splices the bytes from the tier's page cache into /dev/fuse: the copy into
 * libfuse's buffer that a plain {@code read} needs is gone (a cold read was ~78 % kernel copies, three per byte).
 * Bytes that are no local file (holes, lent memory, a remote home, small reads) are copied into malloc'd buffers,
 * which libfuse frees after the reply.
 * <p>
 * Descriptor lifetime: libfuse splices after {@code read_buf} has returned, in the same thread, and never closes the
 * descriptors. Each is opened while the chunk is locked (so it is the chunk's current copy; a later move or unlink
 * of that file leaves the open descriptor readable) and closed at the start of the next call from the same libfuse
 * thread, when that splice is certainly over ({@link #releaseHeld()}). Threads are told apart by their kernel thread
 * id, not by {@link Thread}: the JVM attaches a native libfuse thread for each call and detaches it after, so every
 * call of the multithreaded loop runs in a new, already ended {@code Thread} (thousands an hour), and keying on it
 * left each reply's descriptors to a sweep (4,389 chunk files of removed files, gigabytes of DRAM tier, were once
 * open at the same time). Descriptors of threads that have ended (no {@code /proc/self/task/TID}) are closed by a
 * sweep when a new thread first calls and at most a second after any call, and at unmount ({@link #closeAll()}); so
 * at most the two chunk files of one reply per live libfuse thread are open.
 */
final class SplicedReads {
    /** Below two pages libfuse copies instead of splicing; opening a file for that would only cost. */
    static final int MIN_SPLICE = 2 * 4096;
    /** struct fuse_bufvec { size_t count, idx, off; struct fuse_buf buf[]; } on LP64. */
    static final int BUFVEC_HEADER = 24;
    /** struct fuse_buf { size_t size; enum flags; void *mem; int fd; off_t pos; } on LP64. */
    static final int BUF_SIZE = 40;
    static final int FUSE_BUF_IS_FD = 1 << 1;
    static final int FUSE_BUF_FD_SEEK = 1 << 2;
    private static final int PAGE = 4096;
    private static final Path PIPE_MAX_SIZE = Path.of("/proc/sys/fs/pipe-max-size");
    private static final long PIPE_MAX_DEFAULT = 1 << 20;
    /** Below this, a pipe limit is not worth shrinking reads for: they stay at the request size, copied by libfuse. */
    private static final int MIN_LARGEST_READ = 128 * 1024;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    /** How often a call also closes the descriptors of loop threads that have ended (and at every new thread). */
    private static final long SWEEP_INTERVAL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    private static final com.kenai.jffi.MemoryIO MEMORY = com.kenai.jffi.MemoryIO.getInstance();
    private static final Logger log = LoggerFactory.getLogger(SplicedReads.class);

    /**
     * The largest READ to ask of the kernel so that libfuse can splice it: libfuse's pipe must hold the reply plus
     * a page per buffer and two more, and it can only grow to {@code fs.pipe-max-size} (1 MiB by default; more only
     * with CAP_SYS_RESOURCE, which containers often lack). So 1 MiB requests would never splice; the largest read
     * of two buffers (a read across a chunk boundary) that fits is 5 pages short of the pipe limit.
     */
    static int largestRead(int requestBytes) {
        long pipeMax = PIPE_MAX_DEFAULT;
        try {
            // not Files.readString: on procfs files of size 0 it returned the first byte only (JDK 17, this kernel)
            pipeMax = Long.parseLong(Files.readAllLines(PIPE_MAX_SIZE).get(0).trim());
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            log.debug("cannot read {} ({}), assuming {}", PIPE_MAX_SIZE, e.toString(), PIPE_MAX_DEFAULT);
        }
        long fits = (pipeMax - 5L * PAGE) & -PAGE;
        return fits < MIN_LARGEST_READ ? requestBytes : (int) Math.min(requestBytes, fits);
    }

    /** Fills a sink: the VFS read of one request. */
    interface Reader {
        int read(ReadSink sink);
    }

    private final Libfuse2.LibC libc;
    private final Runtime runtime;
    private final boolean splice;
    private final Charset pathCharset = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    /** Per libfuse thread, by kernel thread id (see the class comment). */
    private final ConcurrentHashMap<Integer, Held> byThread = new ConcurrentHashMap<>();
    /** The last thread's, so that the single-threaded loop finds its own without a map lookup. */
    private volatile Held recent;
    private volatile long lastSweep = System.nanoTime();
    private final LongAdder fileBytes = new LongAdder();

    /** @param splice false: every byte is copied into memory (libfuse's plain read path, for comparison) */
    SplicedReads(Libfuse2.LibC libc, boolean splice) {
        this.libc = libc;
        this.runtime = Runtime.getRuntime(libc);
        this.splice = splice;
    }

    boolean splices() {
        return splice;
    }

    /** Bytes handed to libfuse as chunk-file extents so far. */
    long fileBytes() {
        return fileBytes.sum();
    }

    /**
     * Runs {@code reader} into a new bufvec and stores it in {@code *bufp}; returns the bytes read. On failure
     * nothing is stored and everything taken is given back.
     */
    int read(Pointer bufp, Reader reader) {
        Extents ex = new Extents();
        int n;
        try {
            n = reader.read(ex);
            bufp.putAddress(0, ex.toBufvec());
        } catch (RuntimeException | Error e) {
            ex.discard();
            throw e;
        }
        List<Integer> fds = ex.fds();
        if (!fds.isEmpty()) {
            held().add(fds);
        }
        return n;
    }

    /**
     * Closes the descriptors this thread handed to libfuse in its previous call (that reply has been sent). The
     * adapter calls it at the start of every operation, so a thread's next call of any kind releases them.
     */
    void releaseHeld() {
        Held h = held();
        if (h.size > 0) {
            h.closeAll();
        }
        long now = System.nanoTime();
        if (now - lastSweep >= SWEEP_INTERVAL_NANOS) {
            lastSweep = now;
            sweep();
        }
    }

    private Held held() {
        int tid = libc.gettid();
        Held h = recent;
        if (h == null || h.tid != tid) {
            h = byThread.get(tid);
            if (h == null) {
                // libfuse's multithreaded loop starts threads for bursts of requests and ends those beyond ten idle
                // ones. A new one is when ended ones are likely: their descriptors (the chunk files of their last
                // replies, maybe of files removed since) are closed now.
                h = new Held(tid);
                byThread.put(tid, h);
                sweep();
            }
            recent = h;
        }
        return h;
    }

    /**
     * Closes the descriptors of loop threads that have ended. A reused id is a new thread whose calls close what
     * the ended one held, which is as safe: that thread's splices are over.
     */
    private void sweep() {
        for (Held h : byThread.values()) {
            if (!Files.exists(Path.of("/proc/self/task/" + h.tid))) {
                h.closeAll();
                byThread.remove(h.tid);
            }
        }
    }

    /** Closes every held descriptor (after the FUSE loop ended: no splice can be pending). */
    void closeAll() {
        for (Held h : byThread.values()) {
            h.closeAll();
        }
    }

    /** Descriptors held for libfuse now, over all threads (tests). */
    int heldDescriptors() {
        int n = 0;
        for (Held h : byThread.values()) {
            n += h.size;
        }
        return n;
    }

    /** Threads that have called (and hold, or may hold, descriptors): tests. */
    int threads() {
        return byThread.size();
    }

    private void close(int fd) {
        if (libc.close(fd) != 0) {
            log.warn("closing chunk file descriptor {} after a spliced read failed: errno {}", fd,
                    LastError.getLastError(runtime));
        }
    }

    /** The descriptors one libfuse thread handed over in its last call. */
    private final class Held {
        final int tid;
        /** Descriptors held: read without the lock by the owner's fast path. */
        volatile int size;
        private final List<Integer> fds = new ArrayList<>(2);

        Held(int tid) {
            this.tid = tid;
        }

        synchronized void add(List<Integer> more) {
            fds.addAll(more);
            size = fds.size();
        }

        synchronized void closeAll() {
            for (int fd : fds) {
                close(fd);
            }
            fds.clear();
            size = 0;
        }
    }

    /** One buffer of a reply: a file range (fd, pos) or malloc'd memory whose filled part is {@code view}'s. */
    private record Buf(int len, int fd, long pos, long mem, ByteBuffer view) {
        boolean isFile() {
            return view == null;
        }

        /** Bytes this buffer holds: all of a file range, the filled part of memory. */
        int filled() {
            return isFile() ? len : view.position();
        }
    }

    /** One request's extents, collected before the bufvec is built. */
    private final class Extents implements ReadSink {
        private final List<Buf> bufs = new ArrayList<>(2);

        /** The descriptors opened for this reply (all of them, also those after a short buffer). */
        List<Integer> fds() {
            return bufs.stream().filter(Buf::isFile).map(Buf::fd).toList();
        }

        @Override
        public boolean file(Path file, long pos, int len) {
            if (!splice || len < MIN_SPLICE) {
                return false;
            }
            byte[] name = (file.toString() + '\0').getBytes(pathCharset);
            int fd = libc.open(name, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                log.warn("cannot open chunk file {} for a spliced read (errno {}): copying instead", file,
                        LastError.getLastError(runtime));
                return false;
            }
            bufs.add(new Buf(len, fd, pos, 0, null));
            fileBytes.add(len);
            return true;
        }

        @Override
        public ByteBuffer memory(int len) {
            Pointer mem = libc.malloc(Math.max(1, len));
            if (mem == null || mem.address() == 0) {
                throw new OutOfMemoryError("malloc of " + len + " bytes for a FUSE read reply failed");
            }
            ByteBuffer view = MEMORY.newDirectByteBuffer(mem.address(), len);
            bufs.add(new Buf(len, -1, 0, mem.address(), view));
            return view;
        }

        /**
         * The malloc'd bufvec libfuse replies from and frees (with every memory buffer in it). It ends after a
         * memory buffer the store did not fill (a short read); buffers after it are freed here.
         */
        long toBufvec() {
            int count = 0;
            while (count < bufs.size()) {
                Buf b = bufs.get(count++);
                if (b.filled() < b.len()) {
                    break;
                }
            }
            long bytes = BUFVEC_HEADER + (long) BUF_SIZE * Math.max(1, count);
            Pointer vec = libc.malloc(bytes);
            if (vec == null || vec.address() == 0) {
                throw new OutOfMemoryError("malloc of a fuse_bufvec failed");
            }
            vec.setMemory(0, bytes, (byte) 0);
            vec.putLong(0, Math.max(1, count));
            for (int i = 0; i < count; i++) {
                Buf b = bufs.get(i);
                long at = BUFVEC_HEADER + (long) BUF_SIZE * i;
                vec.putLong(at, b.filled());
                if (b.isFile()) {
                    vec.putInt(at + 8, FUSE_BUF_IS_FD | FUSE_BUF_FD_SEEK);
                    vec.putInt(at + 24, b.fd());
                    vec.putLong(at + 32, b.pos());
                } else {
                    vec.putAddress(at + 16, b.mem());
                }
            }
            freeMemory(bufs.subList(count, bufs.size()));
            return vec.address();
        }

        /** Gives back what a failed read took. */
        void discard() {
            freeMemory(bufs);
            fds().forEach(SplicedReads.this::close);
            bufs.clear();
        }

        private void freeMemory(List<Buf> some) {
            for (Buf b : some) {
                if (!b.isFile()) {
                    libc.free(b.mem());
                }
            }
        }
    }
}
