package io.tierfs.fuse;

import jnr.ffi.Pointer;

import java.util.Optional;

/**
 * libfuse 2.9's high-level API has ONE attribute timeout for every inode, read from its private
 * {@code struct fuse_config} right after our getattr callback returns, when it builds the reply. With
 * {@code default_permissions} and {@code attr_timeout=0} the kernel asks for the parent directory's attributes
 * before every permission check: four GETATTR round trips of eight for one create (measured with the kernel's
 * fuse tracepoints). Files must stay at 0: a file may get a second name at any time, libfuse 2 gives that name
 * its own kernel inode, and the kernel's link refreshes only the ctime of the first, so its cached nlink would go
 * stale (a test caught exactly that). Directories cannot be hard-linked and every change of theirs goes through
 * this kernel, which invalidates what it caches. So, single-threaded only, the adapter sets the timeout per
 * reply: a second for directories, 0 for everything else.
 * <p>
 * The field is found, not assumed: {@link #locate} looks for the known option values in their 2.9 order
 * (entry_timeout 60, negative 0, attr 0, ac_attr 0, ac_attr_timeout_set 0, hard_remove 0, use_ino 1, intr_signal
 * SIGUSR1) and gives up, leaving libfuse as it is, when any of them does not match.
 */
final class LibfuseConfig {
    /** The entry_timeout the mount passes; part of the signature. */
    static final double ENTRY_TIMEOUT = 60.0;
    private static final int SCAN_BYTES = 1024;
    private static final int SIGUSR1 = 10;

    private final Pointer fuse;
    private final long attrTimeoutOffset;
    private double current;

    private LibfuseConfig(Pointer fuse, long attrTimeoutOffset) {
        this.fuse = fuse;
        this.attrTimeoutOffset = attrTimeoutOffset;
    }

    /** The config inside libfuse's {@code struct fuse}, if its layout is the one expected. */
    static Optional<LibfuseConfig> locate(Pointer fuse) {
        if (fuse == null || fuse.address() == 0) {
            return Optional.empty();
        }
        for (long e = 0; e + 96 <= SCAN_BYTES; e += 8) {
            if (fuse.getDouble(e) == ENTRY_TIMEOUT && fuse.getDouble(e + 8) == 0.0 && fuse.getDouble(e + 16) == 0.0
                    && fuse.getDouble(e + 24) == 0.0 && fuse.getInt(e + 32) == 0 && fuse.getInt(e + 48) == 0
                    && fuse.getInt(e + 52) == 1 && fuse.getInt(e + 88) == SIGUSR1) {
                return Optional.of(new LibfuseConfig(fuse, e + 16));
            }
        }
        return Optional.empty();
    }

    /** The attribute timeout of the reply being built (only from libfuse's single loop thread). */
    void attrTimeout(double seconds) {
        if (seconds != current) {
            fuse.putDouble(attrTimeoutOffset, seconds);
            current = seconds;
        }
    }
}
