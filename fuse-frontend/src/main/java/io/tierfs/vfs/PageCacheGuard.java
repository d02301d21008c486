package io.tierfs.vfs;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether an open may keep the kernel's page cache of a file (FOPEN_KEEP_CACHE), so that data read or
 * written before is served again at memory speed instead of through FUSE.
 * <p>
 * Why this is safe: on one node every change of a file's bytes (write, truncate, O_TRUNC) goes through this
 * kernel, which updates its own cached pages of that kernel inode. The one exception is a hard-linked file:
 * libfuse 2's high-level API gives each name its own kernel inode, so a write through one name leaves stale pages
 * under the other. Such a file (nlink above 1 at open, or linked through this mount) never keeps its cache again
 * while this mount lives; a remount starts with an empty page cache, so nothing needs to persist.
 * libfuse's own {@code auto_cache} is coarser (it drops the cache whenever mtime moved, which includes our own
 * writes) and {@code kernel_cache} is wrong for hard links.
 */
public final class PageCacheGuard {
    private final Set<Long> aliased = ConcurrentHashMap.newKeySet();

    /** A hard link to {@code ino} was made: its names now have separate kernel page caches. */
    public void linked(long ino) {
        aliased.add(ino);
    }

    /** Whether an open of {@code ino}, which has {@code nlink} names now, may keep the kernel's cached pages. */
    public boolean mayKeep(long ino, int nlink) {
        if (nlink > 1) {
            aliased.add(ino);
            return false;
        }
        return !aliased.contains(ino);
    }

    /** The inode is gone (no name, no open handle): forget it. */
    public void forget(long ino) {
        aliased.remove(ino);
    }
}
