package io.tierfs.tier;

import io.tierfs.common.FsException;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * File data as the VFS sees it: byte ranges of an inode, stored as fixed-size chunks on the tiers.
 * The store does not know file sizes (the namespace does): a read of a range never written returns zeros,
 * and the caller clamps reads to the file size.
 * <p>
 * Durability (DESIGN.md): writes land on the fastest tier with room; dirty chunks on a volatile tier are copied
 * to a durable tier in the background within the flush interval; {@link #fsync} returns only when every byte
 * written before it is on a durable tier and the chunk layout that finds it is persisted.
 * All methods are thread-safe; concurrent writes to different ranges of one file are allowed.
 */
public interface DataStore extends AutoCloseable {

    /** Reads {@code dst.remaining()} bytes at {@code offset}; holes read as zeros. Returns bytes read. */
    int read(long ino, long offset, ByteBuffer dst);

    /**
     * Reads {@code len} bytes at {@code offset} into {@code sink}: chunk files on local tiers as {@link ReadSink#file}
     * extents where the store can name them, the rest copied into {@link ReadSink#memory} (holes as zeros). The
     * default copies everything.
     */
    default void read(long ino, long offset, int len, ReadSink sink) {
        ByteBuffer dst = sink.memory(len);
        int n = read(ino, offset, dst.duplicate());
        dst.position(Math.max(0, n));
    }

    /** Writes all of {@code src} at {@code offset}. ENOSPC when no tier has room; nothing partial is visible then. */
    void write(long ino, long offset, ByteBuffer src);

    /**
     * Writes all of {@code src} at the end of {@code ino} (O_APPEND) and returns the offset it landed at: the larger
     * of {@code knownEnd} (the size the caller knows: the namespace's, grown by its own writes) and the end of the
     * data this store holds. Appends to one inode are applied one at a time (see {@link AppendOrder}), so concurrent
     * appends from any threads or members never overlap. A concurrent positional write that extends the file is not
     * ordered with them (as with any write racing an append elsewhere). The caller records {@code offset + length}
     * as a size, as for writes.
     */
    default long append(long ino, long knownEnd, ByteBuffer src) {
        throw FsException.of(io.tierfs.common.Errno.ENOTSUP, "%s does not append (inode %d)",
                getClass().getSimpleName(), ino);
    }

    /**
     * The end of the data this store holds for {@code ino} (its highest byte written, or what a truncate left; 0 for
     * none): what an append on a file whose chunks several members hold compares with each of them.
     */
    default long dataEnd(long ino) {
        throw FsException.of(io.tierfs.common.Errno.ENOTSUP, "%s does not tell data ends (inode %d)",
                getClass().getSimpleName(), ino);
    }

    /** Drops the data at and beyond {@code size} (the caller records the new size in the namespace). */
    void truncate(long ino, long size);

    /**
     * Returns once every byte written to {@code ino} through this store is where every reader finds it (close-to-open
     * between members); throws the errno of an earlier write that could not land. Stores that apply writes before
     * acknowledging them (the default) have nothing to wait for.
     */
    default void drain(long ino) {
    }

    /** Makes every byte of {@code ino} written so far durable (see class comment). */
    void fsync(long ino);

    /** Frees every chunk of {@code ino}. Idempotent. */
    void delete(long ino);

    /** Where each chunk of {@code ino} lies, in chunk order. */
    List<ChunkPlacement> where(long ino);

    /** Capacity and usage of every tier, fastest first. */
    List<TierUsage> usage();

    /**
     * Counts one access to {@code ino} that may not reach {@link #read}: the VFS calls it on open, because re-reads
     * may be served from the kernel's page cache. Feeds the file's heat; the default ignores it.
     */
    default void accessed(long ino) {
    }

    /**
     * A new file {@code ino} was created at {@code path} by {@code uid}/{@code gid}: a store with placement rules
     * chooses the tier its data will land on (the default: the fastest tier with room).
     */
    default void created(long ino, String path, int uid, int gid) {
    }

    /** {@code path} names {@code ino} now (created, renamed, pinned): kept as a hint across restarts. */
    default void pathSeen(long ino, String path) {
    }

    /** The last path seen for {@code ino} by {@link #pathSeen}, if the store keeps such hints. */
    default java.util.Optional<String> pathHint(long ino) {
        return java.util.Optional.empty();
    }

    /** Total bytes the mover still has to move and moves in flight, for status. */
    MoverStatus moverStatus();

    @Override
    void close();

    /** Convenience for errors thrown by implementations. */
    static FsException noSpace(long ino) {
        return FsException.of(io.tierfs.common.Errno.ENOSPC, "no tier has room for data of inode %d", ino);
    }
}
