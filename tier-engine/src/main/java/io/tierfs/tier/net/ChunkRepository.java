package io.tierfs.tier.net;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The bytes of chunks that this node keeps for other nodes (lent memory), by {@link ChunkKey}. What the
 * {@link ChunkServer} serves; a node may also use it directly for its own lent-memory chunks.
 * <p>
 * Positions and sizes follow a file: reads use FileChannel semantics, writes past the end leave a hole that reads
 * as zeros, sizes are logical lengths. Every method is thread-safe; failures are {@link io.tierfs.common.FsException}s
 * (ENOENT as {@link NoSuchChunkException}, ENOSPC from the {@link QuotaGate} or the device, EIO otherwise).
 */
public interface ChunkRepository {

    /**
     * Reads into {@code dst} from {@code pos}: the number of bytes read, fewer than asked only at the end of the
     * chunk, or -1 when {@code pos} is at or after the end. Advances {@code dst}'s position by the count.
     */
    int read(ChunkKey k, long pos, ByteBuffer dst);

    /** Writes all of {@code src} at {@code pos}, creating the chunk if it is missing (also when src is empty). */
    void write(ChunkKey k, long pos, ByteBuffer src);

    /** The chunk's length in bytes. */
    long size(ChunkKey k);

    /** Sets the chunk's length (shorter: cut; longer: a hole of zeros), like ftruncate(2). */
    void truncate(ChunkKey k, long size);

    /** Removes the chunk; removing a missing chunk is not an error. */
    void delete(ChunkKey k);

    /** Every chunk of {@code owner} with its length (empty for an unknown owner). */
    Map<ChunkKey, Long> list(String owner);

    /** The CRC32C of the chunk's first {@code length} bytes, bytes past its end counting as zeros. */
    long crc32c(ChunkKey k, long length);

    /** The sum of the lengths of {@code owner}'s chunks. */
    long usedBytes(String owner);

    /** The sum of the lengths of all chunks. */
    long usedBytes();

    /** Removes every chunk of {@code owner} (a lease ended); idempotent. */
    void deleteOwner(String owner);

    /**
     * Makes every byte written to the chunk so far durable before returning (a file's fsync on a member that is not
     * its data home). The default does nothing: lent memory is volatile by design, its durability is the
     * borrower's flusher's copy on a durable tier.
     */
    default void fsync(ChunkKey k) {
    }

    /**
     * Appends all of {@code src} at the chunk's end (at least {@code knownEnd}) as one step with respect to other
     * appends, and returns the position it landed at. {@code appendId} names this append: a retry of the same id
     * (the client lost the connection before the reply) is answered with the first try's position and writes
     * nothing. Only files append; the default refuses.
     */
    default long append(ChunkKey k, long knownEnd, long appendId, ByteBuffer src) {
        throw new io.tierfs.common.FsException(io.tierfs.common.Errno.ENOTSUP, "APPEND is served only for file data");
    }

    /**
     * The members that hold the claim units of a file that {@code ask} names (one entry per unit), asked of the file's
     * data home: an unclaimed unit is claimed for the asker and answered with it. An answer is final for the life of
     * the file (a claim is never moved or released before the file is deleted), so the asker may keep it. Only a
     * data home answers; the default refuses.
     */
    default java.util.List<String> claim(ChunkKey k, ClaimAsk ask) {
        throw new io.tierfs.common.FsException(io.tierfs.common.Errno.ENOTSUP, "CLAIM is served only by file data homes");
    }
}
