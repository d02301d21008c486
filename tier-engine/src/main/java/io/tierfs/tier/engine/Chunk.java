package io.tierfs.tier.engine;

import java.nio.channels.FileChannel;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory state of one chunk of one inode. Every field is guarded by {@link #lock}: reads of data take the
 * read lock, everything that changes the data or the placement (writes, truncates, flush and move switches)
 * takes the write lock, so operations on one chunk are ordered while different chunks proceed in parallel.
 */
final class Chunk {
    static final int NONE = -1;

    final long ino;
    final int index;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** Tier index of the primary copy (the one reads and writes use); NONE until placed. */
    int tier = NONE;
    long gen;
    /** Bytes of the primary copy (highest byte written, or the truncated size); what the tier accounts. */
    long length;
    /** The primary is on a volatile tier and differs from (or lacks) a durable copy. */
    boolean dirty;
    long dirtySinceMillis;
    /** A separate durable copy (only while the primary is on a volatile tier). */
    int durableTier = NONE;
    long durableGen;
    long durableLength;
    /** Bumped by every change of the data; a move that copied an older version must not switch. */
    long version;
    /** The primary is on a durable tier and was written since its last force. */
    boolean unforced;
    /** The durable copy was truncated in place since its last force (never true without a durable copy). */
    boolean durableUnforced;
    /** A move ticket is outstanding. */
    boolean inMove;
    /** The chunk was deleted or truncated away; whoever finds this under the lock starts over. */
    boolean removed;
    /** The open channel of the primary copy, managed by {@link ChannelCache}. */
    FileChannel channel;

    Chunk(long ino, int index) {
        this.ino = ino;
        this.index = index;
    }

    boolean hasDurableCopy() {
        return durableTier != NONE;
    }

    @Override
    public String toString() {
        return "chunk " + ino + "#" + index;
    }
}
