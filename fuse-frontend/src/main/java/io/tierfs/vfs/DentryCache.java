package io.tierfs.vfs;

import com.github.benmanes.caffeine.cache.Ticker;

import io.tierfs.common.Attr;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Node;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The client-side name and attribute caches: (parent directory inode, name) -> {@link Node} and inode -> {@link Attr},
 * both with a TTL. The VFS invalidates them on every local mutation, which keeps them coherent on a single
 * node; in a cluster the directory entities push what other members' clients changed ({@link #apply}), and the
 * TTL (short there) bounds what a lost push costs (docs/consistency.md).
 */
public final class DentryCache {
    /** Cache key of a directory entry. */
    record Key(long parent, String name) {
    }

    /** Cache key of one extended attribute of an inode. */
    record XattrKey(long ino, String name) {
    }

    /** Marks an extended attribute known to be absent (ENODATA), so that the question is not asked again. */
    private static final byte[] ABSENT = new byte[0];
    /** Marks a name known to be absent (ENOENT), so that the lookup before every create costs no round trip. */
    private static final Node NEGATIVE = new Node(new InodeRef(-1, -1), null);

    private final VersionedCache<Key, Node> entries;
    /**
     * Directories whose every name is in {@link #entries} (CephFS's "complete" flag), with when they were marked:
     * created empty by this node, and every name added since was put here. A miss in such a directory is ENOENT
     * without a metadata round trip (the lookup before every create). Any doubt drops the flag: an invalidated or
     * evicted name of the directory. The flag also lasts one TTL at most, like the names it vouches for: an expired
     * name is a miss to readers before Caffeine tells the eviction listener (on whichever thread does its next
     * maintenance), and in a cluster the TTL is what bounds a lost invalidation (docs/consistency.md); every name
     * put after the mark expires no earlier than the flag.
     */
    private final Map<Long, Long> complete = new ConcurrentHashMap<>();
    private final Ticker ticker;
    private final long ttlNanos;
    private final VersionedCache<Long, Attr> attrs;
    private final VersionedCache<XattrKey, byte[]> xattrs;

    public DentryCache(Duration ttl, long maxEntries) {
        this(ttl, maxEntries, Ticker.systemTicker());
    }

    DentryCache(Duration ttl, long maxEntries, Ticker ticker) {
        this.ticker = ticker;
        this.ttlNanos = ttl.toNanos();
        // a name dropped for age or size, or undone after a racing load, may exist: the directory is no longer complete
        this.entries = new VersionedCache<>(ttl, maxEntries, ticker, (k, v) -> {
            if (v != NEGATIVE) {
                complete.remove(k.parent());
            }
        });
        this.attrs = new VersionedCache<>(ttl, maxEntries, ticker);
        this.xattrs = new VersionedCache<>(ttl, maxEntries, ticker);
    }

    /**
     * One extended attribute, loaded on a miss; absence (ENODATA) is cached too: the kernel asks for
     * {@code security.capability} when a FUSE file is written, and the answer is almost always "none".
     */
    byte[] xattr(long ino, String name, Supplier<byte[]> loader) {
        return xattrs.getOrAbsent(new XattrKey(ino, name), loader, ABSENT, Errno.ENODATA,
                () -> FsException.of(Errno.ENODATA, "no attribute %s", name));
    }

    /** The attribute {@code name} of {@code ino} was set or removed. */
    public void invalidateXattr(long ino, String name) {
        xattrs.invalidate(new XattrKey(ino, name));
    }

    /**
     * The entry {@code name} in {@code parent}, loaded with {@code loader} on a miss (which also seeds the attr).
     * Absence (ENOENT) is cached too; every mutation that adds a name puts or invalidates its entry.
     */
    Node lookup(long parent, String name, Supplier<Node> loader) {
        return entries.getOrAbsent(new Key(parent, name), () -> {
            if (isComplete(parent)) {
                throw noEntry(parent, name);
            }
            long before = attrs.epoch();
            Node found = loader.get();
            // a seed only: a size update or invalidation that raced with this load must not be undone by it
            attrs.putLoaded(found.ref().ino(), found.attr(), before);
            return found;
        }, NEGATIVE, Errno.ENOENT, () -> noEntry(parent, name));
    }

    /** The ENOENT of the lookup before every create: concatenated, not formatted (String.format was 3 % of it). */
    private static FsException noEntry(long parent, String name) {
        return new FsException(Errno.ENOENT, "no entry '" + name + "' in directory " + parent);
    }

    /**
     * A name was added to or removed from directory {@code dir} by this node: its cached attributes get the new
     * mtime/ctime ({@code nowNs}, read after the change was acknowledged, so never earlier than the journal's) and
     * nlink change (subdirectories), instead of being dropped and fetched again on the next permission check.
     */
    void touchDir(long dir, long nowNs, int nlinkDelta) {
        Attr a = attrs.getIfPresent(dir);
        if (a != null) {
            attrs.put(dir, a.withTimes(a.atimeNs(), Math.max(a.mtimeNs(), nowNs), Math.max(a.ctimeNs(), nowNs))
                    .withNlink(a.nlink() + nlinkDelta));
        }
    }

    /** Attributes of an inode, loaded with {@code loader} on a miss. */
    Attr attr(InodeRef ref, Supplier<Attr> loader) {
        return attrs.get(ref.ino(), loader);
    }

    /** Directory {@code dir} was just created, empty, by this node: every name it will get passes through here. */
    void markComplete(long dir) {
        complete.put(dir, ticker.read());
    }

    /** Whether misses in {@code dir} are answered without asking. */
    boolean isComplete(long dir) {
        Long marked = complete.get(dir);
        if (marked == null) {
            return false;
        }
        if (ticker.read() - marked < ttlNanos) {
            return true;
        }
        complete.remove(dir, marked);
        return false;
    }

    /** Records the answer of a mutation made here (create, mkdir, link...). */
    void putEntry(long parent, String name, Node node) {
        entries.put(new Key(parent, name), node);
        attrs.put(node.ref().ino(), node.attr());
    }

    void putAttr(Attr attr) {
        attrs.put(attr.ino(), attr);
    }

    /** A name changed (removed, replaced, renamed). */
    public void invalidateEntry(long parent, String name) {
        complete.remove(parent);
        entries.invalidate(new Key(parent, name));
    }

    /** The attributes of an inode changed (size, times, mode, owner, nlink). */
    public void invalidateAttr(long ino) {
        attrs.invalidate(ino);
    }

    /** Every cached name inside directory {@code dir} (e.g. after it was removed). */
    public void invalidateDirectory(long dir) {
        complete.remove(dir);
        entries.invalidateIf(k -> k.parent() == dir);
    }

    /** Applies a change another member's client made (pushed by the directory entity that decided it). */
    public void apply(io.tierfs.meta.cache.Invalidation inv) {
        for (io.tierfs.meta.cache.Invalidation.Item item : inv.items()) {
            if (item instanceof io.tierfs.meta.cache.Invalidation.Entry e) {
                invalidateEntry(inv.dir(), e.name());
            } else if (item instanceof io.tierfs.meta.cache.Invalidation.Attr a) {
                invalidateAttr(a.ino());
            } else if (item instanceof io.tierfs.meta.cache.Invalidation.Xattr x) {
                invalidateXattr(x.ino(), x.name());
            } else if (item instanceof io.tierfs.meta.cache.Invalidation.Directory) {
                invalidateDirectory(inv.dir());
            }
        }
    }

    public void invalidateAll() {
        complete.clear();
        entries.invalidateAll();
        attrs.invalidateAll();
        xattrs.invalidateAll();
    }
}
