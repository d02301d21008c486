package io.tierfs.vfs;

import io.tierfs.common.Attr;
import io.tierfs.common.Errno;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.Names;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;

import java.nio.charset.StandardCharsets;

/**
 * Turns the absolute paths that FUSE's high-level API passes into inodes, one component at a time from the root,
 * through the {@link DentryCache}. Symlinks are not followed (the kernel resolves them itself).
 */
final class PathResolver {
    private final Namespace ns;
    private final DentryCache cache;

    PathResolver(Namespace ns, DentryCache cache) {
        this.ns = ns;
        this.cache = cache;
    }

    /** A directory and a name in it: the target of create, mkdir, unlink, rename... */
    record Parent(long dir, String name) {
    }

    /** The inode {@code path} names. ENOENT, ENOTDIR as POSIX path resolution says. */
    Node resolve(String path) {
        String[] parts = split(path);
        long dir = InodeRef.ROOT_INO;
        Node node = null;
        for (String part : parts) {
            if (node != null && node.attr().type() != FileType.DIRECTORY) {
                throw FsException.of(Errno.ENOTDIR, "%s: a component is not a directory", path);
            }
            node = lookup(dir, part);
            dir = node.ref().ino();
        }
        if (node == null) {
            return new Node(InodeRef.ROOT, attr(InodeRef.ROOT));
        }
        return node;
    }

    /** The directory that holds the last component of {@code path}, and that component. EINVAL for "/". */
    Parent parent(String path) {
        String[] parts = split(path);
        if (parts.length == 0) {
            throw FsException.of(Errno.EINVAL, "the root has no parent");
        }
        long dir = InodeRef.ROOT_INO;
        for (int i = 0; i < parts.length - 1; i++) {
            Node node = lookup(dir, parts[i]);
            if (node.attr().type() != FileType.DIRECTORY) {
                throw FsException.of(Errno.ENOTDIR, "%s: a component is not a directory", path);
            }
            dir = node.ref().ino();
        }
        return new Parent(dir, parts[parts.length - 1]);
    }

    /** The inode number of the directory that contains the directory {@code path} (root for root). */
    long parentDirIno(String path) {
        String[] parts = split(path);
        if (parts.length <= 1) {
            return InodeRef.ROOT_INO;
        }
        return parent(path).dir();
    }

    Node lookup(long dir, String name) {
        return cache.lookup(dir, name, () -> ns.lookup(dir, name));
    }

    Attr attr(InodeRef ref) {
        return cache.attr(ref, () -> ns.getattr(ref));
    }

    static String[] split(String path) {
        if (path == null) {
            throw FsException.of(Errno.ENOENT, "no path (the file was removed)");
        }
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw FsException.of(Errno.EINVAL, "not an absolute path: '%s'", path);
        }
        // No PATH_MAX check here: the kernel bounds each syscall's path argument, but the path it hands over is
        // relative to the mount's root, which is longer for a process whose working directory is deep inside.
        String[] raw = path.split("/");
        int n = 0;
        for (String s : raw) {
            if (!s.isEmpty()) {
                n++;
            }
        }
        String[] out = new String[n];
        int i = 0;
        for (String s : raw) {
            if (!s.isEmpty()) {
                if (s.length() > Names.NAME_MAX / 4 && s.getBytes(StandardCharsets.UTF_8).length > Names.NAME_MAX) {
                    throw FsException.of(Errno.ENAMETOOLONG, "name longer than %d bytes", Names.NAME_MAX);
                }
                out[i++] = s;
            }
        }
        return out;
    }
}
