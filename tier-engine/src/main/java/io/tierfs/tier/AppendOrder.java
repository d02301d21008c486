package io.tierfs.tier;

import java.nio.ByteBuffer;
import java.util.function.LongUnaryOperator;

/**
 * The per-file order of O_APPEND writes on a file's data home: an append reads the current end and writes there as
 * one step with respect to every other append to the same inode, so appends from any number of threads, handles and
 * members never overlap and each lands whole. The home's {@link DataStore} serves its own mount's appends and the
 * other members' (over the data plane) through one instance, so both kinds are ordered together.
 * <p>
 * Locks are striped by inode (a fixed array, no per-file state to clean up): appends to two files that share a stripe
 * wait for each other, which costs a little parallelism and nothing else.
 */
public final class AppendOrder {
    private static final int STRIPES = 64;

    /** Writes {@code src} at a file offset (the store's ordinary write). */
    @FunctionalInterface
    public interface Writer {
        void write(long ino, long offset, ByteBuffer src);
    }

    private final Object[] stripes = new Object[STRIPES];

    public AppendOrder() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
    }

    /**
     * Appends all of {@code src} to {@code ino} at {@code max(knownEnd, dataEnd(ino))} and returns that offset;
     * {@code dataEnd} is the end of the data the store holds (its highest byte written, or what a truncate left).
     */
    public long append(long ino, long knownEnd, ByteBuffer src, LongUnaryOperator dataEnd, Writer writer) {
        if (knownEnd < 0) {
            throw io.tierfs.common.FsException.of(io.tierfs.common.Errno.EINVAL, "negative end %d for an append to "
                    + "inode %d", knownEnd, ino);
        }
        synchronized (stripes[Math.floorMod(Long.hashCode(ino * 0x9E3779B97F4A7C15L), STRIPES)]) {
            long at = Math.max(knownEnd, dataEnd.applyAsLong(ino));
            writer.write(ino, at, src);
            return at;
        }
    }
}
