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
 * The INIT reply rewrite and the channel layout check, against a pipe standing in for /dev/fuse and a fake
 * {@code struct fuse_chan} in native memory (no mount needed).
 */
class InitReplyPatchTest {
    private static final Runtime RUNTIME = Runtime.getSystemRuntime();
    private static final POSIX posix = POSIXFactory.getNativePOSIX();
    private static final long LIBFUSE_SEND = 0x7f00_1234_5678L;
    private final int[] pipe = new int[2];

    @BeforeEach
    void openPipe() {
        assertEquals(0, posix.pipe(pipe));
    }

    @AfterEach
    void closePipe() {
        posix.close(pipe[0]);
        posix.close(pipe[1]);
    }

    /** A struct fuse_chan as libfuse 2.9 lays it out: ops at 0, fd at 32, bufsize at 40. */
    private static Pointer channel(int fd, long bufsize) {
        Pointer ch = Memory.allocateDirect(RUNTIME, 64, true);
        ch.putLong(0, 0x1111);
        ch.putLong(FuseChannel.SEND, LIBFUSE_SEND);
        ch.putLong(16, 0x3333);
        ch.putInt(FuseChannel.FD, fd);
        ch.putLong(FuseChannel.BUFSIZE, bufsize);
        return ch;
    }

    /** libfuse 2.9's INIT reply: header + a fuse_init_out of {@code initLen} bytes. */
    private static Pointer initReply(int initLen, int flags, int maxWrite, Pointer[] keep) {
        Pointer header = Memory.allocateDirect(RUNTIME, 16, true);
        header.putInt(0, 16 + initLen);
        header.putInt(4, 0);
        header.putLong(8, 42);
        Pointer init = Memory.allocateDirect(RUNTIME, initLen, true);
        init.putInt(0, 7);
        init.putInt(4, 19);
        init.putInt(8, 131072);
        init.putInt(12, flags);
        init.putShort(16, (short) 12);
        init.putShort(18, (short) 9);
        init.putInt(20, maxWrite);
        Pointer iov = Memory.allocateDirect(RUNTIME, 32, true);
        iov.putPointer(0, header);
        iov.putLong(8, 16);
        iov.putPointer(16, init);
        iov.putLong(24, initLen);
        keep[0] = header;
        keep[1] = init;
        return iov;
    }

    private ByteBuffer readPipe(int max) {
        byte[] b = new byte[max];
        int n = posix.read(pipe[0], b, max);
        return ByteBuffer.wrap(b, 0, Math.max(n, 0)).slice().order(ByteOrder.nativeOrder());
    }

    @Test
    void theChannelIsAcceptedOnlyWhenItsFieldsAreWhereLibfuseKeepsThem() {
        Pointer ch = channel(pipe[1], 0x21000);
        assertTrue(FuseChannel.of(ch, pipe[1], 0x21000).isPresent());
        assertFalse(FuseChannel.of(ch, pipe[1] + 1, 0x21000).isPresent(), "another fd");
        assertFalse(FuseChannel.of(ch, pipe[1], 0x22000).isPresent(), "another buffer size");
        ch.putLong(FuseChannel.SEND, 0);
        assertFalse(FuseChannel.of(ch, pipe[1], 0x21000).isPresent(), "no send function");
        assertFalse(FuseChannel.of(null, pipe[1], 0x21000).isPresent());
    }

    @Test
    void theInitReplyGoesOutWithMaxPagesAndLibfuseSendsEverythingAfterIt() {
        Pointer ch = channel(pipe[1], 0x21000);
        FuseChannel channel = FuseChannel.of(ch, pipe[1], 0x21000).orElseThrow();
        InitReplyPatch patch = new InitReplyPatch(RUNTIME, Libfuse2.loadLibC(), channel, 256, 0, null);
        channel.send(0x9999);
        Pointer[] keep = new Pointer[2];
        int flags = 0x1 | 0x8 | 0x1000;
        assertEquals(0, patch.send(ch, initReply(24, flags, 1 << 20, keep), 2));

        ByteBuffer r = readPipe(256);
        assertEquals(80, r.remaining(), "header + the 64-byte fuse_init_out");
        assertEquals(80, r.getInt(0), "header length");
        assertEquals(0, r.getInt(4), "no error");
        assertEquals(42, r.getLong(8), "the INIT request's unique id");
        assertEquals(7, r.getInt(16));
        assertEquals(19, r.getInt(20), "libfuse's minor version is kept");
        assertEquals(flags | InitReplyPatch.FUSE_MAX_PAGES | InitReplyPatch.FUSE_INIT_EXT, r.getInt(16 + 12),
                "libfuse's flags, max_pages, and flags2 follows");
        assertEquals(12, r.getShort(16 + 16), "max_background kept");
        assertEquals(1 << 20, r.getInt(16 + 20), "max_write kept");
        assertEquals(256, r.getShort(16 + 28), "max_pages");
        assertEquals(0, r.getShort(16 + 30), "map_alignment");
        assertEquals(InitReplyPatch.FUSE_DIRECT_IO_ALLOW_MMAP, (long) r.getInt(16 + 32) << 32, "flags2");
        for (int off = 16 + 36; off < 80; off += 2) {
            assertEquals(0, r.getShort(off), "padding at " + off);
        }
        assertTrue(patch.offered());
        assertEquals(LIBFUSE_SEND, channel.send(), "libfuse's own send function is back");
    }

    @Test
    void aFirstReplyThatIsNotAnInitReplyIsWrittenUnchanged() {
        Pointer ch = channel(pipe[1], 0x21000);
        FuseChannel channel = FuseChannel.of(ch, pipe[1], 0x21000).orElseThrow();
        InitReplyPatch patch = new InitReplyPatch(RUNTIME, Libfuse2.loadLibC(), channel, 256, 0, null);
        Pointer[] keep = new Pointer[2];
        Pointer iov = initReply(24, 0, 4096, keep);
        keep[1].putInt(0, 5); // not protocol major 7
        assertEquals(0, patch.send(ch, iov, 2));
        ByteBuffer r = readPipe(256);
        assertEquals(40, r.remaining(), "the 16 + 24 bytes as given");
        assertEquals(0, r.getInt(16 + 12), "no flag added");
        assertFalse(patch.offered());
        assertEquals(LIBFUSE_SEND, channel.send());
    }

    @Test
    void afterTheInitReplyTheGivenSendFunctionTakesOver() {
        Pointer ch = channel(pipe[1], 0x21000);
        FuseChannel channel = FuseChannel.of(ch, pipe[1], 0x21000).orElseThrow();
        long stale = 0x7f00_8888_0000L;
        InitReplyPatch patch = new InitReplyPatch(RUNTIME, Libfuse2.loadLibC(), channel, 256, stale, null);
        Pointer[] keep = new Pointer[2];
        assertEquals(0, patch.send(ch, initReply(24, 0, 1 << 20, keep), 2));
        assertEquals(80, readPipe(256).remaining());
        assertEquals(stale, channel.send(), "every later reply goes through the given function");
    }
}
