package io.tierfs.tier.engine;

import io.tierfs.common.config.TierSpec;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One configured tier of this node: its {@link ChunkSpace} (a local directory, or lent memory on other nodes) and
 * a byte account against the space's capacity. The account is by bytes stored (chunk lengths), reserved before
 * data is written so that a write that does not fit fails before it changes anything.
 */
public final class TierStore {
    private final int index;
    private final TierSpec spec;
    private final ChunkSpace space;
    private final AtomicLong used = new AtomicLong();
    private final TierIoStats io = new TierIoStats();

    TierStore(int index, TierSpec spec, ChunkSpace space) {
        this.index = index;
        this.spec = spec;
        this.space = space;
    }

    public int index() {
        return index;
    }

    public TierSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public boolean durable() {
        return spec.kind().durable();
    }

    /** The tier's configured directory (a lent tier's chunks are elsewhere: see {@link #space()}). */
    public Path dir() {
        return spec.path().toAbsolutePath();
    }

    public ChunkSpace space() {
        return space;
    }

    public long used() {
        return used.get();
    }

    /** Bytes the tier may hold now: the configured capacity, or what the lenders lend right now. */
    public long capacity() {
        return space.capacity();
    }

    /** The high watermark in bytes of the current capacity. */
    public long highBytes() {
        return (long) (capacity() * spec.highWatermark());
    }

    /** The low watermark in bytes of the current capacity. */
    public long lowBytes() {
        return (long) (capacity() * spec.lowWatermark());
    }

    /** Application reads and writes that reached this tier. */
    public TierIoStats io() {
        return io;
    }

    /** Takes {@code bytes} of this tier's capacity for chunk (ino, index) if they are free. */
    boolean tryReserve(long ino, int chunk, long bytes) {
        if (bytes <= 0) {
            return true;
        }
        while (true) {
            long u = used.get();
            if (u + bytes > capacity()) {
                return false;
            }
            if (used.compareAndSet(u, u + bytes)) {
                break;
            }
        }
        if (!space.admit(ino, chunk, bytes)) {
            used.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    /** Accounts bytes found at recovery (may exceed a capacity that was lowered since). */
    void forceReserve(long ino, int chunk, long bytes) {
        used.addAndGet(bytes);
        space.recovered(ino, chunk, bytes);
    }

    void release(long ino, int chunk, long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
            space.released(ino, chunk, bytes);
        }
    }

    /** Opens (creating if needed) a chunk copy for reading and writing. */
    FileChannel open(long ino, int chunk, long gen, boolean create) throws IOException {
        return space.open(ino, chunk, gen, create);
    }

    /** Deletes one chunk copy; a missing copy is not an error (deletes are idempotent). */
    void delete(long ino, int chunk, long gen) {
        space.delete(ino, chunk, gen);
    }

    /** Makes the creation of new chunk copies durable (fsync of their directories). */
    void syncDirs() {
        space.syncDirs();
    }

    /** Calls {@code sink} for every chunk copy in this tier with its size. */
    void scan(BiConsumer<ChunkFileName, Long> sink) {
        space.scan(sink);
    }

    /** The node holding chunk (ino, index) on this tier, or {@code fallback} if the space does not say. */
    String nodeOf(long ino, int chunk, String fallback) {
        String n = space.nodeOf(ino, chunk);
        return n == null ? fallback : n;
    }

    @Override
    public String toString() {
        return "tier " + name() + " (" + spec.kind() + ", " + space.describe() + ")";
    }
}
