package io.tierfs.fuse;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.PointerByReference;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import ru.serce.jnrfuse.struct.FuseOperations;

/**
 * The few functions of libfuse 2.9 (and libc) that {@link FuseLoop} calls itself (public only because jnr-ffi
 * implements it in a class loader of its own), where jnr-fuse only offers
 * {@code fuse_main_real}: that one call sets up, loops and tears down, leaving no moment between setup and loop in
 * which the channel's receive buffer can be made big enough for 1 MiB requests.
 */
public interface Libfuse2 {
    /** {@code fuse_setup} (2.6 ABI): parses the arguments, mounts and creates the session. NULL on failure. */
    Pointer fuse_setup(int argc, String[] argv, @In FuseOperations op, @size_t long opSize,
                       PointerByReference mountpoint, IntByReference multithreaded, Pointer userData);

    int fuse_loop(Pointer fuse);

    int fuse_loop_mt(Pointer fuse);

    /** Unmounts (if still mounted), destroys the session (our destroy callback) and frees the mount point. */
    void fuse_teardown(Pointer fuse, Pointer mountpoint);

    Pointer fuse_get_session(Pointer fuse);

    Pointer fuse_session_next_chan(Pointer session, Pointer channel);

    @size_t
    long fuse_chan_bufsize(Pointer channel);

    int fuse_chan_fd(Pointer channel);

    /**
     * libc: writev for the one reply {@link InitReplyPatch} sends itself; open/close of chunk files and malloc/free
     * of the replies {@link SplicedReads} builds for libfuse (which frees them with libc's free).
     */
    interface LibC {
        @SaveError
        @ssize_t
        long writev(int fd, Pointer iov, int iovcnt);

        /** {@code path} NUL-terminated, in the file system's encoding. */
        @SaveError
        int open(@In byte[] path, int flags);

        @SaveError
        int close(int fd);

        Pointer malloc(@size_t long size);

        void free(long address);

        /** The calling thread's kernel id (glibc 2.30+): stable across libfuse's calls into the JVM. */
        int gettid();
    }

    /** {@code int (*send)(struct fuse_chan *ch, const struct iovec iov[], size_t count)} of struct fuse_chan_ops. */
    interface SendFunction {
        @Delegate
        int send(Pointer channel, Pointer iov, @size_t long count);
    }

    static Libfuse2 load() {
        try {
            return LibraryLoader.create(Libfuse2.class).failImmediately().load("fuse");
        } catch (UnsatisfiedLinkError e) {
            return LibraryLoader.create(Libfuse2.class).failImmediately().load("libfuse.so.2");
        }
    }

    static LibC loadLibC() {
        return LibraryLoader.create(LibC.class).failImmediately().load("c");
    }
}
