package io.tierfs.fuse;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which replies get the parallel-writes flag: only the open or create reply of the marked handle, and only when it
 * is a direct-I/O one (the kernel's behaviour with the flag is {@link ParallelDirectWritesMountTest}).
 */
class ParallelDirectWritesTest {
    private static final Runtime RUNTIME = Runtime.getSystemRuntime();
    private static final long FH = 0x1234_5678_9abcL;

    /** A reply as libfuse hands it to the send function: iov[0] the header, iov[1] an argument of argSize bytes. */
    private record Reply(Pointer iov, Pointer header, Pointer arg) {
        static Reply of(int error, int argSize) {
            Pointer header = Memory.allocateDirect(RUNTIME, 16, true);
            header.putInt(0, 16 + argSize);
            header.putInt(4, error);
            header.putLong(8, 99);
            Pointer arg = Memory.allocateDirect(RUNTIME, Math.max(argSize, 1), true);
            Pointer iov = Memory.allocateDirect(RUNTIME, 32, true);
            iov.putPointer(0, header);
            iov.putLong(8, 16);
            iov.putPointer(16, arg);
            iov.putLong(24, argSize);
            return new Reply(iov, header, arg);
        }

        /** An open reply ({@code fuse_open_out} at {@code at}) of handle {@code fh} with {@code flags}. */
        static Reply open(int argSize, int at, long fh, int flags) {
            Reply r = of(0, argSize);
            r.arg.putLong(at, fh);
            r.arg.putInt(at + 8, flags);
            return r;
        }
    }

    @Test
    void theOpenReplyOfTheMarkedDirectHandleGetsTheFlag() {
        Reply r = Reply.open(16, 0, FH, ParallelDirectWrites.FOPEN_DIRECT_IO | 2);
        assertTrue(ParallelDirectWrites.patch(r.iov, 2, FH));
        assertEquals(ParallelDirectWrites.FOPEN_DIRECT_IO | 2 | ParallelDirectWrites.FOPEN_PARALLEL_DIRECT_WRITES,
                r.arg.getInt(8), "flag added, keep_cache kept");
        assertEquals(FH, r.arg.getLong(0), "the handle is untouched");
        assertEquals(32, r.header.getInt(0), "the length is untouched");
    }

    @Test
    void theCreateReplyCarriesTheOpenPartAfterTheEntry() {
        Reply r = Reply.open(144, 128, FH, ParallelDirectWrites.FOPEN_DIRECT_IO);
        r.arg.putLong(0, 42); // the entry's nodeid
        assertTrue(ParallelDirectWrites.patch(r.iov, 2, FH));
        assertEquals(ParallelDirectWrites.FOPEN_DIRECT_IO | ParallelDirectWrites.FOPEN_PARALLEL_DIRECT_WRITES,
                r.arg.getInt(136));
        assertEquals(42, r.arg.getLong(0), "the entry is untouched");
    }

    @Test
    void cachedHandlesOtherHandlesErrorsAndOtherRepliesAreLeftAlone() {
        Reply cached = Reply.open(16, 0, FH, 2);
        assertFalse(ParallelDirectWrites.patch(cached.iov, 2, FH), "a page-cache handle: the flag needs direct I/O");
        assertEquals(2, cached.arg.getInt(8));

        Reply other = Reply.open(16, 0, FH + 1, ParallelDirectWrites.FOPEN_DIRECT_IO);
        assertFalse(ParallelDirectWrites.patch(other.iov, 2, FH), "not the marked handle");
        assertEquals(ParallelDirectWrites.FOPEN_DIRECT_IO, other.arg.getInt(8));

        // a 16-byte READ reply whose bytes look like an open reply of another handle: data, never touched
        Reply read = Reply.open(16, 0, 7, ParallelDirectWrites.FOPEN_DIRECT_IO);
        assertFalse(ParallelDirectWrites.patch(read.iov, 2, FH));
        assertEquals(ParallelDirectWrites.FOPEN_DIRECT_IO, read.arg.getInt(8));

        Reply error = Reply.of(-13, 0);
        assertFalse(ParallelDirectWrites.patch(error.iov, 1, FH), "an error reply has no argument");
        Reply sized = Reply.open(24, 0, FH, ParallelDirectWrites.FOPEN_DIRECT_IO);
        assertFalse(ParallelDirectWrites.patch(sized.iov, 2, FH), "not the size of an open or create reply");
        assertEquals(ParallelDirectWrites.FOPEN_DIRECT_IO, sized.arg.getInt(8));
    }

    @Test
    void aMarkIsTakenOnceAndOnlyByItsThread() throws InterruptedException {
        ParallelDirectWrites.expect(FH);
        Long[] elsewhere = new Long[1];
        Thread t = new Thread(() -> elsewhere[0] = ParallelDirectWrites.takeExpected());
        t.start();
        t.join();
        assertNull(elsewhere[0], "another thread has no mark");
        assertEquals(FH, ParallelDirectWrites.takeExpected());
        assertNull(ParallelDirectWrites.takeExpected(), "taken once");
    }
}
