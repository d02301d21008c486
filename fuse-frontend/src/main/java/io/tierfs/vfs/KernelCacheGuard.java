package io.tierfs.vfs;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether the kernel may keep a file's pages across opens (FOPEN_KEEP_CACHE), so that data written or
 * read before is served again at memory speed.
 * <p>
 * Why this is safe: on one node every change of a file's bytes (write, truncate, O_TRUNC) goes through this
 * kernel, which updates the pages it caches of that kernel inode. The one exception is a file with
 * several names: libfuse 2's high-level API gives each name its own kernel inode, so a write through one name
 * leaves stale pages under the other. Such a file (nlink above 1 when seen, or linked
 * through this mount) is never cached again while this mount lives; a remount starts with empty kernel caches,
 * so nothing needs to persist. Directories cannot be hard-linked. libfuse's own {@code auto_cache} is coarser (it
 * drops pages whenever mtime moved, which includes our own writes) and {@code kernel_cache} is wrong for hard
 * links.
 */
public final class KernelCacheGuard {
    private final Set<Long> aliased = ConcurrentHashMap.newKeySet();

    /** A hard link to {@code ino} was made: its names now have separate kernel inodes. */
    public void linked(long ino) {
        aliased.add(ino);
    }

    /** Whether the kernel may keep cached pages of {@code ino}, which has {@code nlink} names now. */
    public boolean mayCache(long ino, int nlink) {
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
