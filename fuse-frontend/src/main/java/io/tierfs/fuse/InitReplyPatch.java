package io.tierfs.fuse;

import jnr.ffi.LastError;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends libfuse 2's INIT reply with {@code FUSE_MAX_PAGES} and {@code max_pages} added, and
 * {@code FUSE_DIRECT_IO_ALLOW_MMAP}, then steps aside.
 * <p>
 * Why the second: handles that write with direct I/O ({@link TierFuse}) may be mapped; without the flag a
 * {@code MAP_SHARED} mmap of such a handle fails with ENODEV, with it the kernel keeps the mapping coherent with the
 * direct writes (kernel 6.6 and later; older kernels ignore a flag they do not know).
 * <p>
 * Why the first: without that flag the kernel sends at most 32 pages (128 KiB) per READ and WRITE whatever max_write
 * and max_read say, and libfuse 2.9 predates the flag (protocol 7.28), so it never offers it. Every request is a round
 * trip through /dev/fuse with two cross-CPU wake-ups on this kind of VM; 1 MiB requests make eight times fewer of them
 * for streaming I/O. Installed as the channel's {@code send} function before the loop starts, it sees the first reply
 * of the session, which is INIT's (the kernel sends nothing else before INIT is answered): it rewrites that reply into
 * the 64-byte {@code fuse_init_out} of current kernels (libfuse's shorter one padded with zeros, the flags, flags2 and
 * max_pages set) and writes it to /dev/fuse itself, having first put libfuse's own send function back, so no later
 * reply passes through Java (not even one another loop thread sends the moment the kernel has INIT's). Anything it
 * does not recognise as an INIT reply is written unchanged.
 */
final class InitReplyPatch implements Libfuse2.SendFunction {
    static final int FUSE_MAX_PAGES = 1 << 22;
    /** The reply's flags continue in {@code flags2} (protocol 7.36). */
    static final int FUSE_INIT_EXT = 1 << 30;
    /** Shared mappings of direct-I/O handles (protocol 7.39): without it such an mmap fails with ENODEV. */
    static final long FUSE_DIRECT_IO_ALLOW_MMAP = 1L << 36;
    static final int FUSE_KERNEL_VERSION = 7;
    private static final int HEADER = 16;           // struct fuse_out_header { u32 len; s32 error; u64 unique; }
    private static final int INIT_OUT = 64;         // struct fuse_init_out since protocol 7.28
    private static final int OLD_INIT_OUT = 24;     // the 7.5-7.22 layout, the smallest libfuse 2.9 sends
    private static final int FLAGS = 12;
    private static final int MAX_PAGES = 28;
    private static final int FLAGS2 = 32;
    private static final int IOVEC = 16;
    private static final Logger log = LoggerFactory.getLogger(InitReplyPatch.class);

    private final Runtime runtime;
    private final Libfuse2.LibC libc;
    private final FuseChannel channel;
    private final long libfuseSend;
    /** The send function every later reply goes through: libfuse's own, or {@link StaleNodeReplies}. */
    private final long afterInit;
    /** The Java side of {@link #afterInit} when it is ours: its native closure lives as long as this reference. */
    private final Libfuse2.SendFunction afterInitFunction;
    private final int maxPages;
    private volatile boolean offered;

    InitReplyPatch(Runtime runtime, Libfuse2.LibC libc, FuseChannel channel, int maxPages, long afterInit,
                   Libfuse2.SendFunction afterInitFunction) {
        this.runtime = runtime;
        this.libc = libc;
        this.channel = channel;
        this.libfuseSend = channel.send();
        this.afterInit = afterInit == 0 ? libfuseSend : afterInit;
        this.afterInitFunction = afterInitFunction;
        this.maxPages = maxPages;
    }

    /** True once the kernel was offered max_pages (the INIT reply went out rewritten). */
    boolean offered() {
        return offered;
    }

    @Override
    public int send(Pointer ch, Pointer iov, long count) {
        // the later send first: once the kernel has the INIT reply, other loop threads may answer requests at once
        channel.send(afterInit);
        if (count == 2 && iov.getLong(8) == HEADER) {
            Pointer header = iov.getPointer(0);
            Pointer init = iov.getPointer(IOVEC);
            long initLen = iov.getLong(IOVEC + 8);
            if (header.getInt(4) == 0 && initLen >= OLD_INIT_OUT && initLen <= INIT_OUT
                    && init.getInt(0) == FUSE_KERNEL_VERSION) {
                return sendInit(header, init, (int) initLen);
            }
        }
        log.warn("the first reply of the FUSE session is not a successful INIT reply: sent unchanged, "
                + "requests stay at 128 KiB");
        return write(iov, (int) count, -1);
    }

    private int sendInit(Pointer header, Pointer init, int initLen) {
        Pointer reply = Memory.allocateDirect(runtime, HEADER + INIT_OUT, true);
        reply.transferFrom(0, header, 0, HEADER);
        reply.putInt(0, HEADER + INIT_OUT);
        reply.transferFrom(HEADER, init, 0, initLen);
        reply.putInt(HEADER + FLAGS, init.getInt(FLAGS) | FUSE_MAX_PAGES | FUSE_INIT_EXT);
        reply.putShort(HEADER + MAX_PAGES, (short) maxPages);
        reply.putInt(HEADER + FLAGS2, (int) (FUSE_DIRECT_IO_ALLOW_MMAP >>> 32));
        Pointer vec = Memory.allocateDirect(runtime, IOVEC, true);
        vec.putPointer(0, reply);
        vec.putLong(8, HEADER + INIT_OUT);
        int rc = write(vec, 1, HEADER + INIT_OUT);
        if (rc == 0) {
            offered = true;
            log.info("FUSE INIT answered with max_pages {} ({} KiB requests; libfuse's reply was {} bytes, "
                    + "max_write {})", maxPages, maxPages * 4, initLen, init.getInt(20));
        }
        return rc;
    }

    /** writev to /dev/fuse as libfuse's fuse_kern_chan_send does: 0, or minus errno. */
    private int write(Pointer vec, int count, long expected) {
        long n = libc.writev(channel.fd(), vec, count);
        if (n < 0) {
            int errno = LastError.getLastError(runtime);
            log.warn("writing the INIT reply to /dev/fuse failed: errno {}", errno);
            return -errno;
        }
        if (expected >= 0 && n != expected) {
            log.warn("short write of the INIT reply to /dev/fuse: {} of {} bytes", n, expected);
        }
        return 0;
    }
}
