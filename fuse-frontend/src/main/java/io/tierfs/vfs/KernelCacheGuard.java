package io.tierfs.vfs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

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
 * <p>
 * On a cluster, other members change files behind this kernel's back. There the guard also remembers the version
 * (size and mtime from the namespace) each file had when this mount last opened it, and lets the kernel keep its
 * pages only if the version is still the same at the next open: a file another member wrote (or truncated) and
 * closed in between has a new mtime, so this open drops the stale pages (close-to-open, docs/consistency.md). After
 * this mount's own writes reach the namespace the version is forgotten (a writer elsewhere may have flushed in the
 * same window): the next open drops the pages once, then caching resumes. Versions are bounded (least recently used
 * are forgotten: a forgotten file is simply not cached at its next open).
 */
public final class KernelCacheGuard {
    private final Set<Long> aliased = ConcurrentHashMap.newKeySet();
    private final Cache<Long, Version> versions = Caffeine.newBuilder().maximumSize(100_000).build();

    /** What a file looked like in the namespace when this mount opened it. */
    private record Version(long size, long mtimeNs) {
    }

    /**
     * Cluster mode: whether {@code ino} is unchanged (same size and mtime) since this mount last saw it, remembering
     * the version it has now for the next open.
     */
    public boolean unchangedSinceLastOpen(long ino, long size, long mtimeNs) {
        Version now = new Version(size, mtimeNs);
        Version before = versions.asMap().put(ino, now);
        return now.equals(before);
    }

    /** This mount changed {@code ino} in the namespace (its size or mtime): its next open is not trusted. */
    public void changedHere(long ino) {
        versions.invalidate(ino);
    }

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
        versions.invalidate(ino);
    }
}
