package io.tierfs.fuse;

import jnr.ffi.Pointer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets the kernel send several direct-I/O writes of one file at once ({@code FOPEN_PARALLEL_DIRECT_WRITES}), which
 * libfuse 2 cannot ask for: its open and create replies carry only the direct_io, keep_cache and nonseekable bits.
 * <p>
 * Why: Linux holds a FUSE file's inode lock exclusively for each whole write request, round trip to the file system
 * included, unless the open reply has this flag: then a direct write that ends inside the size the kernel knows
 * takes the lock shared, and writers of disjoint ranges of one file (MPI-IO and IOR writers of a shared file,
 * overwriting a checkpoint, a file sized first with ftruncate or MPI_File_set_size) run in parallel through one
 * mount instead of taking turns. Writes that extend the file, and O_APPEND writes, still take the lock exclusively
 * (the kernel decides that per write). TierFS applies each write request under its chunks' locks, so writes that
 * run together land whole, as writes from different members always did (docs/consistency.md).
 * <p>
 * How: {@link TierFuse} marks the libfuse thread that is about to reply to an open or create of a direct-I/O handle
 * with the handle ({@link #expect}); the channel's send function ({@link StaleNodeReplies}) hands this thread's next
 * reply to {@link #patch}, which adds the flag when the reply is the open reply of that handle: a success of the
 * size of an open (header and {@code fuse_open_out}) or create (header, {@code fuse_entry_out} and
 * {@code fuse_open_out}) reply whose {@code fh} is the marked one and whose flags have {@code FOPEN_DIRECT_IO}.
 * Marks are kept by kernel thread id, as {@link StaleNodeReplies} keeps its own, and every reply of the thread
 * clears its mark.
 */
final class ParallelDirectWrites {
    static final int FOPEN_DIRECT_IO = 1;
    static final int FOPEN_PARALLEL_DIRECT_WRITES = 1 << 6;
    /** {@code struct fuse_out_header} (16) + {@code struct fuse_open_out { u64 fh; u32 open_flags; u32 padding; }}. */
    static final int OPEN_REPLY = 16 + 16;
    /** The header + {@code struct fuse_entry_out} (128 bytes since protocol 7.9) + {@code struct fuse_open_out}. */
    static final int CREATE_REPLY = 16 + 128 + 16;
    private static final Map<Integer, Long> EXPECTED = new ConcurrentHashMap<>();
    private static final Libfuse2.LibC LIBC = Libfuse2.loadLibC();

    private ParallelDirectWrites() {
    }

    /** This thread's next reply is the open or create reply of the direct-I/O handle {@code fh}. */
    static void expect(long fh) {
        EXPECTED.put(LIBC.gettid(), fh);
    }

    /** The handle this thread marked, cleared; null when none. */
    static Long takeExpected() {
        return takeExpected(LIBC.gettid());
    }

    /** The handle the thread {@code tid} marked, cleared; null when none. */
    static Long takeExpected(int tid) {
        return EXPECTED.remove(tid);
    }

    /**
     * Where the open flags lie in the argument of a reply of {@code replyLength} bytes (header included), or -1
     * when a reply of that length is not an open or create reply.
     */
    static int flagsOffset(int replyLength) {
        return switch (replyLength) {
            case OPEN_REPLY -> 8;
            case CREATE_REPLY -> 128 + 8;
            default -> -1;
        };
    }

    /** The flags with parallel direct writes added, when the handle is a direct-I/O one; else unchanged. */
    static int withParallelWrites(int openFlags) {
        return (openFlags & FOPEN_DIRECT_IO) != 0 ? openFlags | FOPEN_PARALLEL_DIRECT_WRITES : openFlags;
    }

    /**
     * Adds the flag to the reply in {@code iov} (libfuse's {@code struct iovec[count]}: the header, then the
     * argument) when it is the open reply of the handle {@code expectedFh}; true when it did.
     */
    static boolean patch(Pointer iov, long count, long expectedFh) {
        if (count != 2) {
            return false;
        }
        Pointer header = iov.getPointer(0);
        int length = header.getInt(0);
        int at = flagsOffset(length);
        if (header.getInt(4) != 0 || at < 0 || iov.getLong(8) + iov.getLong(24) != length) {
            return false;
        }
        Pointer arg = iov.getPointer(16);
        if (arg.getLong(at - 8) != expectedFh) {
            return false;
        }
        int flags = arg.getInt(at);
        int patched = withParallelWrites(flags);
        if (patched == flags) {
            return false;
        }
        arg.putInt(at, patched);
        return true;
    }
}
