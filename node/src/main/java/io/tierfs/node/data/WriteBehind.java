package io.tierfs.node.data;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes to files homed on another member, acknowledged once queued (NFS's unstable writes): the kernel holds a
 * file's inode lock for the whole of each FUSE write, so a synchronous round trip to the home per 128 KiB request
 * would leave one request in flight per file and mount. Here the FUSE thread copies the bytes and returns; a pool
 * sends them, several at a time.
 * <p>
 * Invariants: a write never overtakes an earlier one of this member that overlaps it (it waits until that one has
 * landed), so each byte ends with the last write made here; {@link #awaitRange} lets a read wait for the queued
 * writes it overlaps (a member reads its own writes); {@link #drain} waits until everything queued for the file has
 * landed at its home, which close, fsync, truncate and unlink call first (close-to-open: what was closed here is
 * at the home when close returns). A write that failed (home unreachable, no room there) is reported by the next
 * write, drain or fsync of that file with the home's errno, once, as NFS reports a failed unstable write on close.
 * At most {@code maxBytesPerFile} are queued per file and {@link #MAX_BYTES_TOTAL} over all files: a writer beyond
 * either waits for the homes.
 * <p>
 * A sender takes the oldest unsent write of a file together with the unsent writes that continue it byte for byte,
 * up to {@link #MAX_BATCH}, and sends them as one request: a sequential writer's 128 KiB FUSE requests then cross
 * the data plane as 1 MiB ones while the senders are busy (each request costs thread hand-offs at both ends, and
 * on this 2-vCPU VM a hand-off to an idle CPU is a wake-up of tens of microseconds). Queued writes never overlap
 * (see above), so sending them together changes no byte's outcome.
 */
final class WriteBehind implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WriteBehind.class);

    /** Where a queued write goes: the home's write, synchronous, FsException on failure. */
    interface Sink {
        void write(long ino, long offset, ByteBuffer data);
    }

    /** A queued write: its range, its bytes (a copy, in a pooled direct buffer) and the budget permits it holds. */
    private record Pending(long[] range, ByteBuf copy, int permits) {
        int length() {
            return (int) (range[1] - range[0]);
        }

        /** The bytes, as the sink takes them (a view: the copy stays owned by this write until it is freed). */
        ByteBuffer data() {
            return copy.nioBuffer(0, length());
        }
    }

    /** The queued writes of one file; every field guarded by the object's monitor. */
    private static final class FileQueue {
        final List<long[]> ranges = new ArrayList<>(); // [start, end) of writes queued and not yet answered
        final java.util.ArrayDeque<Pending> unsent = new java.util.ArrayDeque<>(); // in the order they were queued
        long bytes;
        FsException failure;

        boolean overlaps(long start, long end) {
            for (long[] r : ranges) {
                if (r[0] < end && start < r[1]) {
                    return true;
                }
            }
            return false;
        }

        void remove(long[] range) {
            for (int i = 0; i < ranges.size(); i++) {
                if (ranges.get(i) == range) {
                    ranges.remove(i);
                    return;
                }
            }
        }
    }

    /** Where the copies of queued writes live: pooled direct memory, as the data plane's own buffers. */
    private static final ByteBufAllocator BUFFERS = PooledByteBufAllocator.DEFAULT;
    /** Bytes queued over all files, whatever their number: the memory the queues may take. */
    static final int MAX_BYTES_TOTAL = 64 << 20;
    /** Most bytes one request to the home carries when contiguous queued writes are sent together. */
    static final int MAX_BATCH = 1 << 20;

    private final Sink sink;
    private final long maxBytesPerFile;
    private final java.util.concurrent.Semaphore total = new java.util.concurrent.Semaphore(MAX_BYTES_TOTAL, true);
    private final ExecutorService senders;
    private final ConcurrentHashMap<Long, FileQueue> files = new ConcurrentHashMap<>();

    WriteBehind(Sink sink, int threads, long maxBytesPerFile) {
        if (threads < 1 || maxBytesPerFile < 1) {
            throw new IllegalArgumentException("write-behind needs threads >= 1 and a positive budget: " + threads
                    + ", " + maxBytesPerFile);
        }
        this.sink = sink;
        this.maxBytesPerFile = maxBytesPerFile;
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "tierfs-write-behind-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private FileQueue queue(long ino) {
        return files.computeIfAbsent(ino, k -> new FileQueue());
    }

    /** Queues all of {@code src} for {@code offset}; throws the file's earlier failure, if one is unreported. */
    void write(long ino, long offset, ByteBuffer src) {
        int len = src.remaining();
        if (len == 0) {
            return;
        }
        int permits = Math.min(len, MAX_BYTES_TOTAL);
        try {
            total.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FsException.of(Errno.EIO, "interrupted while waiting for room to queue a write of inode %d", ino);
        }
        FileQueue q;
        Pending p = null;
        try {
            p = new Pending(new long[]{offset, offset + len}, copyOf(src, len), permits);
            q = enqueue(ino, p);
        } catch (RuntimeException | Error e) {
            if (p != null) {
                p.copy().release();
            }
            total.release(permits);
            throw e;
        }
        try {
            senders.execute(() -> sendSome(ino, q));
        } catch (RejectedExecutionException e) {
            synchronized (q) {
                if (q.unsent.remove(p)) {
                    q.remove(p.range());
                    q.bytes -= len;
                    p.copy().release();
                    total.release(permits);
                }
                q.notifyAll();
            }
            throw FsException.of(Errno.EIO, "write of inode %d refused: the member is stopping", ino);
        }
    }

    /** Registers the write in the file's queue once nothing queued overlaps it and the budget has room. */
    private FileQueue enqueue(long ino, Pending p) {
        long[] range = p.range();
        int len = p.length();
        while (true) {
            FileQueue q = queue(ino);
            synchronized (q) {
                if (files.get(ino) != q) {
                    continue; // drained and dropped meanwhile: use the file's current queue
                }
                reportFailure(q);
                // wait for overlapping writes (order) and for room in the budget (one write alone always fits)
                while (q.overlaps(range[0], range[1]) || (q.bytes > 0 && q.bytes + len > maxBytesPerFile)) {
                    await(q, ino);
                    reportFailure(q);
                }
                if (files.get(ino) != q) {
                    continue; // drained and dropped while this writer waited
                }
                q.ranges.add(range);
                q.unsent.add(p);
                q.bytes += len;
                return q;
            }
        }
    }

    /**
     * Sends the oldest unsent write of {@code q} with the unsent writes that continue it (one task per queued write
     * is submitted; a task that finds nothing left, its write having gone with an earlier batch, returns at once).
     */
    private void sendSome(long ino, FileQueue q) {
        List<Pending> batch = new ArrayList<>();
        synchronized (q) {
            Pending first = q.unsent.poll();
            if (first == null) {
                return;
            }
            batch.add(first);
            long end = first.range()[1];
            int size = first.length();
            for (Pending next = q.unsent.peek(); next != null && next.range()[0] == end
                    && size + next.length() <= MAX_BATCH; next = q.unsent.peek()) {
                q.unsent.poll();
                batch.add(next);
                end = next.range()[1];
                size += next.length();
            }
        }
        try {
            send(ino, q, batch);
        } finally {
            for (Pending p : batch) {
                p.copy().release();
                total.release(p.permits());
            }
        }
    }

    private void send(long ino, FileQueue q, List<Pending> batch) {
        long start = batch.get(0).range()[0];
        long end = batch.get(batch.size() - 1).range()[1];
        FsException failed = null;
        try {
            if (batch.size() == 1) {
                sink.write(ino, start, batch.get(0).data());
            } else {
                ByteBuf all = joined(batch, (int) (end - start));
                try {
                    sink.write(ino, start, all.nioBuffer(0, all.writerIndex()));
                } finally {
                    all.release();
                }
            }
        } catch (FsException e) {
            failed = e;
        } catch (RuntimeException e) {
            failed = new FsException(Errno.EIO, "queued write of inode " + ino + " failed: " + e, e);
        }
        synchronized (q) {
            for (Pending p : batch) {
                q.remove(p.range());
                q.bytes -= p.length();
            }
            if (failed != null && q.failure == null) {
                q.failure = failed;
                log.warn("queued write of inode {} at {} ({} bytes) failed; reported on its next write, close or "
                        + "fsync: {}", ino, start, end - start, failed.getMessage());
            }
            q.notifyAll();
        }
    }

    private static ByteBuf joined(List<Pending> batch, int size) {
        ByteBuf all = BUFFERS.directBuffer(size, size);
        for (Pending p : batch) {
            all.writeBytes(p.copy(), 0, p.length());
        }
        return all;
    }

    /**
     * The caller's bytes copied into a pooled direct buffer: a heap copy would be zeroed when allocated (a 1 MiB
     * array is a humongous object for G1) and copied once more into a direct buffer by the socket write.
     */
    private static ByteBuf copyOf(ByteBuffer src, int len) {
        ByteBuf copy = BUFFERS.directBuffer(len, len);
        try {
            copy.writeBytes(src);
        } catch (RuntimeException | Error e) {
            copy.release();
            throw e;
        }
        return copy;
    }

    /** Waits until no queued write overlaps {@code [offset, offset+len)} (a read sees this member's writes). */
    void awaitRange(long ino, long offset, long len) {
        FileQueue q = files.get(ino);
        if (q == null) {
            return;
        }
        synchronized (q) {
            while (q.overlaps(offset, offset + len)) {
                await(q, ino);
            }
        }
    }

    /** Waits until every write queued for {@code ino} has landed; throws (once) the first that failed. */
    void drain(long ino) {
        FileQueue q = files.get(ino);
        if (q == null) {
            return;
        }
        synchronized (q) {
            while (!q.ranges.isEmpty()) {
                await(q, ino);
            }
            reportFailure(q);
            files.remove(ino, q); // nothing queued: a later write makes a new queue (writers hold q's monitor)
        }
    }

    /** Bytes queued and not yet landed, over all files (status, tests). */
    long queuedBytes() {
        long sum = 0;
        for (FileQueue q : files.values()) {
            synchronized (q) {
                sum += q.bytes;
            }
        }
        return sum;
    }

    private static void reportFailure(FileQueue q) {
        FsException f = q.failure;
        if (f != null) {
            q.failure = null;
            throw new FsException(f.errno(), "an earlier write failed: " + f.getMessage(), f);
        }
    }

    private static void await(FileQueue q, long ino) {
        try {
            q.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FsException.of(Errno.EIO, "interrupted while waiting for queued writes of inode %d", ino);
        }
    }

    /** Lets queued writes land (up to {@code patience}), then stops the senders. */
    void close(java.time.Duration patience) {
        senders.shutdown();
        try {
            if (!senders.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} bytes of queued writes did not reach their homes within {} s", queuedBytes(),
                        patience.toSeconds());
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            senders.shutdownNow();
        }
    }

    @Override
    public void close() {
        close(java.time.Duration.ofSeconds(30));
    }
}
