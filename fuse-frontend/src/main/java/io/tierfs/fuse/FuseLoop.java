package io.tierfs.fuse;

import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.PointerByReference;
import jnr.ffi.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs libfuse 2's high-level session of a {@link TierFuse} the way jnr-fuse's {@code fuse_main_real} does
 * ({@code fuse_setup}, the loop in a thread of its own, {@code fuse_teardown}), with one step between setup and loop:
 * the channel's receive buffer grows to hold a 1 MiB request and the INIT reply offers the kernel
 * {@code max_pages} ({@link InitReplyPatch}), so that streaming reads and writes cross /dev/fuse in 1 MiB requests
 * instead of 128 KiB ones. When libfuse's channel is not laid out as expected ({@link FuseChannel}) or the request
 * size asked for is 128 KiB, the session runs exactly as libfuse would run it.
 */
final class FuseLoop {
    /** libfuse 2's own request size (32 pages), used when the channel cannot be changed. */
    static final int LIBFUSE_REQUEST = 128 * 1024;
    private static final int PAGE = 4096;
    /** Room for the request headers in front of the data, as libfuse's own 0x21000 for 128 KiB. */
    private static final int HEADER_ROOM = 2 * PAGE;
    private static final Logger log = LoggerFactory.getLogger(FuseLoop.class);

    private final Thread thread;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final InitReplyPatch patch;
    private final int requestBytes;

    private FuseLoop(InitReplyPatch patch, int requestBytes, Runnable body) {
        this.patch = patch; // holds the send functions libfuse calls (jnr closures must stay reachable)
        this.requestBytes = requestBytes;
        this.thread = new Thread(() -> {
            try {
                body.run();
            } finally {
                ended.countDown();
            }
        }, "tierfs-fuse-loop");
        this.thread.setDaemon(true);
    }

    /**
     * Mounts {@code fs} on {@code mountPoint} (fuse_setup, in this thread) and starts serving it.
     *
     * @param args         libfuse's command line after the mount point ({@code -s}, {@code -o ...})
     * @param requestBytes largest READ/WRITE request to offer the kernel: a multiple of 4 KiB, 128 KiB to 1 MiB
     *                     (checked by {@link FuseMount#requestKib})
     * @throws IllegalStateException when fuse_setup fails (libfuse printed why on stderr)
     */
    static FuseLoop start(TierFuse fs, Path mountPoint, List<String> args, int requestBytes) {
        Libfuse2 lib = Libfuse2.load();
        List<String> argv = new ArrayList<>();
        argv.add("tierfs");
        argv.add("-f");
        argv.add(mountPoint.toString());
        argv.addAll(args);
        PointerByReference mountpointRef = new PointerByReference();
        IntByReference multithreaded = new IntByReference();
        Pointer fuse = lib.fuse_setup(argv.size(), argv.toArray(String[]::new), fs.operations(),
                Struct.size(fs.operations()), mountpointRef, multithreaded, null);
        if (fuse == null || fuse.address() == 0) {
            throw new IllegalStateException("libfuse could not mount " + mountPoint + " (its message is above)");
        }
        Pointer mountpoint = mountpointRef.getValue();
        boolean mt = multithreaded.getValue() != 0;
        InitReplyPatch patch = requestBytes > LIBFUSE_REQUEST ? enlarge(lib, fuse, requestBytes) : null;
        FuseLoop loop = new FuseLoop(patch, requestBytes, () -> {
            int rc = mt ? lib.fuse_loop_mt(fuse) : lib.fuse_loop(fuse);
            log.info("FUSE loop of {} ended ({}): tearing the session down", mountPoint, rc);
            lib.fuse_teardown(fuse, mountpoint);
        });
        loop.thread.start();
        return loop;
    }

    /** Grows the channel's buffer and installs the INIT patch; null (and a log line) if the channel is not as expected. */
    private static InitReplyPatch enlarge(Libfuse2 lib, Pointer fuse, int requestBytes) {
        Pointer ch = lib.fuse_session_next_chan(lib.fuse_get_session(fuse), null);
        FuseChannel channel = ch == null ? null
                : FuseChannel.of(ch, lib.fuse_chan_fd(ch), lib.fuse_chan_bufsize(ch)).orElse(null);
        if (channel == null) {
            log.info("libfuse's channel has not the expected layout: FUSE requests stay at {} KiB",
                    LIBFUSE_REQUEST / 1024);
            return null;
        }
        InitReplyPatch patch;
        long sendFunction;
        try {
            Runtime runtime = Runtime.getRuntime(lib);
            StaleNodeReplies stale = new StaleNodeReplies(runtime, channel.fd());
            long staleSend = runtime.getClosureManager().getClosurePointer(Libfuse2.SendFunction.class, stale)
                    .address();
            patch = new InitReplyPatch(runtime, Libfuse2.loadLibC(), channel, requestBytes / PAGE, staleSend, stale);
            sendFunction = runtime.getClosureManager().getClosurePointer(Libfuse2.SendFunction.class, patch).address();
        } catch (RuntimeException | LinkageError e) {
            log.warn("cannot install the INIT reply patch ({}): FUSE requests stay at {} KiB", e.toString(),
                    LIBFUSE_REQUEST / 1024);
            return null;
        }
        channel.bufsize((long) requestBytes + HEADER_ROOM);
        channel.send(sendFunction);
        return patch;
    }

    /** The largest request offered to the kernel (it may still choose smaller ones). */
    int requestBytes() {
        return patch != null && patch.offered() ? requestBytes : LIBFUSE_REQUEST;
    }

    /** Waits for the loop (and libfuse's teardown, which calls our destroy) to end after an unmount. */
    boolean awaitEnd(Duration timeout) {
        try {
            return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
