package io.tierfs.fuse;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which replies become ESTALE, against a pipe standing in for /dev/fuse (the real mount's behaviour, rename over a
 * name while others stat and open it, is in the node module's POSIX tests).
 */
class StaleNodeRepliesTest {
    private static final Runtime RUNTIME = Runtime.getSystemRuntime();
    private static final POSIX posix = POSIXFactory.getNativePOSIX();
    private final int[] pipe = new int[2];

    @BeforeEach
    void openPipe() {
        assertEquals(0, posix.pipe(pipe));
        StaleNodeReplies.takeReached();
    }

    @AfterEach
    void closePipe() {
        posix.close(pipe[0]);
        posix.close(pipe[1]);
    }

    /** A reply of a header only (an error reply), unique 77. */
    private static Pointer errorReply(int error, Pointer[] keep) {
        Pointer header = Memory.allocateDirect(RUNTIME, 16, true);
        header.putInt(0, 16);
        header.putInt(4, error);
        header.putLong(8, 77);
        Pointer iov = Memory.allocateDirect(RUNTIME, 16, true);
        iov.putPointer(0, header);
        iov.putLong(8, 16);
        keep[0] = header;
        return iov;
    }

    private ByteBuffer sent(StaleNodeReplies s, int error) {
        Pointer[] keep = new Pointer[1];
        assertEquals(0, s.send(null, errorReply(error, keep), 1));
        byte[] b = new byte[64];
        int n = posix.read(pipe[0], b, b.length);
        ByteBuffer r = ByteBuffer.wrap(b, 0, n).slice().order(ByteOrder.nativeOrder());
        assertEquals(16, r.remaining());
        assertEquals(77, r.getLong(8), "the request's unique id is kept");
        return r;
    }

    @Test
    void anEnoentLibfuseAnsweredAloneBecomesEstale() {
        StaleNodeReplies s = new StaleNodeReplies(RUNTIME, pipe[1]);
        assertEquals(-StaleNodeReplies.ESTALE, sent(s, -StaleNodeReplies.ENOENT).getInt(4));
        assertEquals(1, s.turned());
    }

    @Test
    void anEnoentTheFileSystemAnsweredStaysEnoent() {
        StaleNodeReplies s = new StaleNodeReplies(RUNTIME, pipe[1]);
        StaleNodeReplies.reached(); // a LOOKUP of a name that does not exist, answered by TierFuse
        assertEquals(-StaleNodeReplies.ENOENT, sent(s, -StaleNodeReplies.ENOENT).getInt(4));
        assertFalse(StaleNodeReplies.takeReached(), "the mark is for one reply only");
        assertEquals(-StaleNodeReplies.ESTALE, sent(s, -StaleNodeReplies.ENOENT).getInt(4), "the next one is libfuse's");
        assertEquals(1, s.turned());
    }

    @Test
    void otherRepliesPassUnchanged() {
        StaleNodeReplies s = new StaleNodeReplies(RUNTIME, pipe[1]);
        assertEquals(0, sent(s, 0).getInt(4));
        assertEquals(-13, sent(s, -13).getInt(4), "EACCES");
        assertEquals(0, s.turned());
        assertEquals(0, StaleNodeReplies.replyError(0, false));
        assertEquals(-StaleNodeReplies.ESTALE, StaleNodeReplies.replyError(-StaleNodeReplies.ENOENT, false));
        assertEquals(-StaleNodeReplies.ENOENT, StaleNodeReplies.replyError(-StaleNodeReplies.ENOENT, true));
        assertTrue(s.turned() == 0);
    }
}
