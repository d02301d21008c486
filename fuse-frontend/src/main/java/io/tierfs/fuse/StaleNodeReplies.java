package io.tierfs.fuse;

import jnr.ffi.LastError;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * libfuse 2's send function for every reply after INIT, which turns the ENOENT that libfuse itself answers for a
 * node it no longer has a path for into ESTALE.
 * <p>
 * Why: rename(2) over an existing name must be atomic to other processes: a concurrent stat(2) or open(2) of the
 * name sees the old file or the new one, never ENOENT. Through libfuse 2's high-level API it was not: the kernel may
 * send GETATTR or OPEN for the inode it found under the name a moment before the rename replaced it, and libfuse,
 * which names every node by its path, has unlinked that node by then and answers ENOENT without asking the file
 * system (measured: a loop of stat(2) beside a loop of rename-over saw ENOENT in 15-24 % of its calls, open(2) in
 * 45 %; ext4: none). Linux takes ESTALE from a file system as "the inode I named is gone": path-based system calls
 * (stat, open, chmod...) walk the path again with LOOKUP_REVAL, find the name's current inode and succeed.
 * <p>
 * Which ENOENT: the operations that reach {@link TierFuse} mark their thread ({@link #reached}, by its kernel thread
 * id: the JVM may give one libfuse thread a new Thread object at each call into Java, so a ThreadLocal forgets); a
 * reply sent from a thread no operation marked since its last reply was answered by libfuse alone, which it does
 * only when its path of the node failed (the node was unlinked or replaced). ENOENT that TierFS answers itself (a
 * LOOKUP of a name that does not exist) is sent unchanged. The reply is then written to /dev/fuse as libfuse's own
 * send function does. A spliced read reply bypasses this function, so its mark stays until that thread's next
 * reply: libfuse's own ENOENT then goes out unchanged, as before (one missed conversion, never a wrong one).
 * <p>
 * Being the send function, it is also where the open replies of direct-I/O handles get the flag that libfuse 2
 * cannot set ({@link ParallelDirectWrites}).
 */
final class StaleNodeReplies implements Libfuse2.SendFunction {
    static final int ENOENT = 2;
    static final int ESTALE = 116;
    /** {@code struct fuse_out_header { u32 len; s32 error; u64 unique; }}: the error's offset. */
    private static final long ERROR = 4;
    /** Kernel ids of the threads whose next reply is an answer of the file system. */
    private static final Set<Integer> REACHED = ConcurrentHashMap.newKeySet();
    private static final Libfuse2.LibC LIBC = Libfuse2.loadLibC();

    private final Runtime runtime;
    private final int fd;
    private final LongAdder turned = new LongAdder();

    StaleNodeReplies(Runtime runtime, int fd) {
        this.runtime = runtime;
        this.fd = fd;
    }

    /** An operation of the file system runs on this thread: the reply this thread sends next is its answer. */
    static void reached() {
        REACHED.add(LIBC.gettid());
    }

    /** Whether an operation marked this thread since its last reply; clears the mark. */
    static boolean takeReached() {
        return takeReached(LIBC.gettid());
    }

    private static boolean takeReached(int tid) {
        return REACHED.remove(tid);
    }

    /** What to answer instead of {@code error} (a negative errno, 0 for success) when {@code answeredByFs} is false. */
    static int replyError(int error, boolean answeredByFs) {
        return error == -ENOENT && !answeredByFs ? -ESTALE : error;
    }

    /** How many replies were turned from ENOENT into ESTALE. */
    long turned() {
        return turned.sum();
    }

    @Override
    public int send(Pointer ch, Pointer iov, long count) {
        int tid = LIBC.gettid(); // one call per reply for both marks
        boolean ours = takeReached(tid);
        Long openedFh = ParallelDirectWrites.takeExpected(tid);
        if (iov == null || iov.address() == 0) {
            return 0;
        }
        if (openedFh != null) {
            ParallelDirectWrites.patch(iov, count, openedFh);
        }
        Pointer header = iov.getPointer(0);
        int error = header.getInt(ERROR);
        int answer = replyError(error, ours);
        if (answer != error) {
            header.putInt(ERROR, answer);
            turned.increment();
        }
        long n = LIBC.writev(fd, iov, (int) count);
        if (n < 0) {
            // ENOENT: the kernel dropped the request (interrupted), as libfuse's send says
            return -LastError.getLastError(runtime);
        }
        return 0;
    }
}
