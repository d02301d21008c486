package io.tierfs.bench;

import jnr.ffi.LibraryLoader;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Drops a file's clean pages from the kernel's page cache ({@code posix_fadvise(POSIX_FADV_DONTNEED)}), so that
 * the next read goes to the file system itself: through FUSE to TierFS's tiers. On tmpfs the pages ARE the file,
 * so nothing is dropped and a "cold" read there is what memory delivers.
 */
final class PageCache {
    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED = 4;

    /** The three libc calls this needs (jnr-ffi, already on the class path for the FUSE binding). */
    public interface LibC {
        int open(String path, int flags);

        int posix_fadvise(int fd, long offset, long len, int advice);

        int close(int fd);
    }

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");

    private PageCache() {
    }

    static void drop(Path file) throws IOException {
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
