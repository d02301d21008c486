package io.tierfs.fuse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel's read-ahead window of a FUSE mount. The kernel gives a FUSE mount the window the INIT reply names,
 * 128 KiB with libfuse 2: one read request in flight for a sequential reader, every request a round trip through the
 * FUSE loop (and, for a file homed on another member, over the data plane). A window of several requests lets the
 * kernel send them together (FUSE_ASYNC_READ) and the loop start the next one while the reader copies the last.
 * With 1 MiB requests ({@link FuseLoop}) the window is four of them: cold 1 GiB {@code dd} reads measured 1.85 GB/s
 * against 1.46 GB/s with a 1 MiB window (12 alternating runs, this 2-vCPU VM; {@code bench io} saw no difference
 * beyond its noise), and a multithreaded loop can serve several at once. The mount option {@code max_readahead} can
 * only lower the window, so it is raised through the mount's backing device in /sys/class/bdi (root only, like
 * the mount; elsewhere the kernel's default stays, logged).
 */
final class ReadAhead {
    private static final Logger log = LoggerFactory.getLogger(ReadAhead.class);
    /** Four 1 MiB read requests (32 of libfuse 2's own 128 KiB ones). */
    static final int DEFAULT_KIB = 4096;

    private ReadAhead() {
    }

    /** Sets the window of the mount on {@code mountPoint}; returns whether it took. */
    static boolean set(Path mountPoint, int kib) {
        Optional<String> dev = MountTable.deviceOf(mountPoint);
        if (dev.isEmpty()) {
            log.info("read-ahead of {} left at the kernel's default: no device number in mountinfo", mountPoint);
            return false;
        }
        Path knob = Path.of("/sys/class/bdi", dev.get(), "read_ahead_kb");
        try {
            Files.writeString(knob, Integer.toString(kib));
            log.info("read-ahead of {} set to {} KiB ({})", mountPoint, kib, knob);
            return true;
        } catch (IOException | SecurityException e) {
            log.info("read-ahead of {} left at the kernel's default (cannot write {}: {})", mountPoint, knob,
                    e.toString());
            return false;
        }
    }
}
