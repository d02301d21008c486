package io.tierfs.vfs;

import io.tierfs.common.Attr;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Node;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The client-side name and attribute caches: (parent directory inode, name) -> {@link Node} and inode -> {@link Attr},
 * both with a short TTL. The VFS invalidates them on every local mutation, which keeps them coherent on a single
 * node; the public invalidation methods are the hook through which the metadata entities can later push
 * invalidations for changes made by other nodes.
 */
public final class DentryCache {
    /** Cache key of a directory entry. */
    record Key(long parent, String name) {
    }

    private final VersionedCache<Key, Node> entries;
    private final VersionedCache<Long, Attr> attrs;

    public DentryCache(Duration ttl, long maxEntries) {
        this.entries = new VersionedCache<>(ttl, maxEntries);
        this.attrs = new VersionedCache<>(ttl, maxEntries);
    }

    /** The entry {@code name} in {@code parent}, loaded with {@code loader} on a miss (which also seeds the attr). */
    Node lookup(long parent, String name, Supplier<Node> loader) {
        return entries.get(new Key(parent, name), () -> {
            Node n = loader.get();
            attrs.put(n.ref().ino(), n.attr());
            return n;
        });
    }

    /** Attributes of an inode, loaded with {@code loader} on a miss. */
    Attr attr(InodeRef ref, Supplier<Attr> loader) {
        return attrs.get(ref.ino(), loader);
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
        entries.invalidate(new Key(parent, name));
    }

    /** The attributes of an inode changed (size, times, mode, owner, nlink). */
    public void invalidateAttr(long ino) {
        attrs.invalidate(ino);
    }

    /** Every cached name inside directory {@code dir} (e.g. after it was removed). */
    public void invalidateDirectory(long dir) {
        entries.invalidateIf(k -> k.parent() == dir);
    }

    public void invalidateAll() {
        entries.invalidateAll();
        attrs.invalidateAll();
    }
}
