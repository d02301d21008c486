package io.tierfs.tier.os;

import jnr.ffi.LibraryLoader;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Tells the kernel that a file's cached pages are not needed ({@code posix_fadvise(POSIX_FADV_DONTNEED)}). The
 * engine uses it for the durable copy of a chunk whose primary stays in DRAM: once that copy is forced, its pages in
 * the page cache are a second in-memory copy of bytes the DRAM tier already holds, and memory is what the DRAM tier
 * and the lenders need. Only clean pages are dropped, so a forced file loses nothing; on tmpfs the pages are the
 * file and the kernel keeps them. The benchmarks use it to make the next read of a file go through the file system.
 */
public final class PageCacheAdvice {
    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED = 4;

    /** The libc calls this needs (jnr-ffi, which the FUSE binding brings anyway). */
    public interface LibC {
        int open(String path, int flags);

        int posix_fadvise(int fd, long offset, long len, int advice);

        int close(int fd);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private PageCacheAdvice() {
    }

    /** Drops the clean cached pages of {@code file}; an IOException names the file and the failing call. */
    public static void dontNeed(Path file) throws IOException {
        int fd = LIBC.open(file.toString(), O_RDONLY);
        if (fd < 0) {
            throw new IOException("cannot open " + file + " to drop its cached pages");
        }
        try {
            int rc = LIBC.posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
            if (rc != 0) {
                throw new IOException("posix_fadvise(DONTNEED) of " + file + " failed with error " + rc);
            }
        } finally {
            LIBC.close(fd);
        }
    }
}
