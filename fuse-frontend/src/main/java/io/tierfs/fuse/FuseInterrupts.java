package io.tierfs.fuse;

import jnr.ffi.LibraryLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the kernel interrupted the request the calling libfuse handler thread is serving (a signal reached the
 * process that waits in F_SETLKW or flock, or it was killed). libfuse 2.9's {@code fuse_interrupted()} reads the
 * flag its low-level layer sets when an INTERRUPT for the request arrives; that works without the {@code intr}
 * mount option (which would only add signalling the handler thread). Only meaningful in a handler thread.
 */
final class FuseInterrupts {
    private static final Logger log = LoggerFactory.getLogger(FuseInterrupts.class);

    /** The libfuse 2 entry point, bound with jnr-ffi. */
    public interface LibFuseIntr {
        int fuse_interrupted();
    }

    private static volatile LibFuseIntr lib;
    private static volatile boolean failed;

    private FuseInterrupts() {
    }

    /** True when the current request was interrupted; false when libfuse cannot be asked (logged once). */
    static boolean currentRequestInterrupted() {
        LibFuseIntr l = lib;
        if (l == null) {
            if (failed) {
                return false;
            }
            try {
                l = LibraryLoader.create(LibFuseIntr.class).failImmediately().load("fuse");
                lib = l;
            } catch (RuntimeException | LinkageError e) {
                failed = true;
                log.warn("cannot bind libfuse's fuse_interrupted(): a lock wait ends only when granted", e);
                return false;
            }
        }
        return l.fuse_interrupted() != 0;
    }
}
