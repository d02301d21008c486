package io.tierfs.tier.net;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.tier.DataStore;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The <em>file data service</em> of a data home: other members read and write the files whose data lives here
 * through the data plane, and every call is applied by this member's own {@link DataStore} (its tier engine, under
 * its chunk locks), exactly as a call of its own mount. So writes from many members to disjoint ranges of one file
 * never overwrite each other (no member reads, modifies and writes back a whole chunk), and one write call is applied
 * whole (a FUSE write is at most 128 KiB, one data-plane frame).
 * <p>
 * Key mapping: owner {@value #OWNER}, the inode number, chunk index 0, generation 0 name the whole file; the position
 * is the file offset. Only the file operations are served (READ, WRITE, APPEND, TRUNCATE, DELETE, FSYNC), SIZE as the
 * end of the data held here (an append on a file whose chunks several members hold asks each of them), and CLAIM
 * through the {@link Claims} of the member's data homes; the chunk-store operations of lent memory (LIST, CRC,
 * DELETE_OWNER) answer ENOTSUP.
 */
public final class FileDataRepository implements ChunkRepository {
    /** The owner name of file-data keys on the wire. */
    public static final String OWNER = "file";

    /** How many recent appends are remembered by id, so that a client's retry is not applied twice. */
    static final int REMEMBERED_APPENDS = 4096;

    /** Which member holds which claim unit of the files homed here (see {@link ChunkRepository#claim}). */
    @FunctionalInterface
    public interface Claims {
        java.util.List<String> claim(long ino, ClaimAsk ask);
    }

    private final DataStore store;
    private volatile Claims claims = (ino, ask) -> {
        throw new FsException(Errno.ENOTSUP, "this member does not serve chunk claims");
    };
    /** Whether this member still has the inode open and keeps its data (and marks it nameless); see {@link #delete}. */
    private volatile java.util.function.LongPredicate keptOpenHere = ino -> false;
    private final ConcurrentHashMap<Long, CompletableFuture<Long>> recentAppends = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> appendIds = new ConcurrentLinkedQueue<>();
    private final AtomicInteger remembered = new AtomicInteger();

    public FileDataRepository(DataStore store) {
        this.store = store;
    }

    /**
     * Set once the member's VFS exists: asked before another member's unlink frees a file's data, so that a process
     * on this member that still has the file open keeps it until its last close (the VFS frees it then).
     */
    public void keepDataOpenHere(java.util.function.LongPredicate keptOpenHere) {
        this.keptOpenHere = keptOpenHere;
    }

    /** Set once the member's chunk claims exist: answers CLAIM for the files homed here. */
    public void serveClaims(Claims claims) {
        this.claims = claims;
    }

    /** The key that names the whole of file {@code ino}. */
    public static ChunkKey keyOf(long ino) {
        return new ChunkKey(OWNER, ino, 0, 0);
    }

    private static long ino(ChunkKey k) {
        if (!OWNER.equals(k.owner()) || k.chunk() != 0 || k.gen() != 0) {
            throw new FsException(Errno.EINVAL, "not a file-data key: " + k);
        }
        return k.ino();
    }

    @Override
    public int read(ChunkKey k, long pos, ByteBuffer dst) {
        if (!dst.hasRemaining()) {
            return 0;
        }
        return store.read(ino(k), pos, dst); // holes read as zeros; the caller clamps to the file's size
    }

    @Override
    public void write(ChunkKey k, long pos, ByteBuffer src) {
        store.write(ino(k), pos, src);
    }

    /**
     * An O_APPEND write of another member: the store appends at the larger of {@code knownEnd} and the end of the
     * data here, ordered with every other append to the file (this member's own included). An id seen before (a
     * client's retry after a lost connection, possibly while the first try still runs) gets the first try's
     * position and writes nothing.
     */
    @Override
    public long append(ChunkKey k, long knownEnd, long appendId, ByteBuffer src) {
        long ino = ino(k);
        CompletableFuture<Long> mine = new CompletableFuture<>();
        CompletableFuture<Long> first = recentAppends.putIfAbsent(appendId, mine);
        if (first != null) {
            try {
                return first.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw e;
            }
        }
        appendIds.add(appendId);
        if (remembered.incrementAndGet() > REMEMBERED_APPENDS) {
            Long old = appendIds.poll();
            if (old != null) {
                remembered.decrementAndGet();
                recentAppends.remove(old);
            }
        }
        try {
            long at = store.append(ino, knownEnd, src);
            mine.complete(at);
            return at;
        } catch (RuntimeException e) {
            recentAppends.remove(appendId, mine); // nothing was appended: a later retry may try again
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /** The end of the file's data held here (not its size: sizes live in the namespace). */
    @Override
    public long size(ChunkKey k) {
        return store.dataEnd(ino(k));
    }

    @Override
    public java.util.List<String> claim(ChunkKey k, ClaimAsk ask) {
        return claims.claim(ino(k), ask);
    }

    @Override
    public void truncate(ChunkKey k, long size) {
        store.truncate(ino(k), size);
    }

    @Override
    public void delete(ChunkKey k) {
        long ino = ino(k);
        if (!keptOpenHere.test(ino)) {
            store.delete(ino);
        }
    }

    @Override
    public void fsync(ChunkKey k) {
        store.fsync(ino(k));
    }

    @Override
    public Map<ChunkKey, Long> list(String owner) {
        throw unsupported("LIST");
    }

    @Override
    public long crc32c(ChunkKey k, long length) {
        throw unsupported("CRC");
    }

    @Override
    public long usedBytes(String owner) {
        return 0;
    }

    @Override
    public long usedBytes() {
        return 0;
    }

    @Override
    public void deleteOwner(String owner) {
        throw unsupported("DELETE_OWNER");
    }

    private static FsException unsupported(String what) {
        return new FsException(Errno.ENOTSUP, "the file data service does not serve " + what);
    }

    @Override
    public String toString() {
        return "file data of " + store.getClass().getSimpleName();
    }
}
