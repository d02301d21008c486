package io.tierfs.fuse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The kernel's read-ahead window of a FUSE mount. The kernel gives a FUSE mount 128 KiB, exactly one read request
 * of libfuse 2 (max_read): a sequential reader then has one request in flight, and every request is a round trip
 * through the FUSE loop (and, for a file homed on another member, over the data plane). A window of several requests
 * lets the kernel send them together (FUSE_ASYNC_READ) and a multithreaded loop serve them in parallel. The mount
 * option {@code max_readahead} can only lower the window, so it is raised through the mount's backing device in
 * /sys/class/bdi (root only, like the mount; elsewhere the kernel's default stays, logged).
 */
final class ReadAhead {
    private static final Logger log = LoggerFactory.getLogger(ReadAhead.class);
    /** Eight libfuse 2 read requests. */
    static final int DEFAULT_KIB = 1024;

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
