package io.tierfs.vfs;

import io.tierfs.common.Attr;
import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.Errno;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.SetAttr;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;
import io.tierfs.meta.api.Removal;
import io.tierfs.tier.DataStore;
import io.tierfs.tier.ReadSink;
import io.tierfs.tier.TierUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The file system as POSIX sees it, path-based like libfuse's high-level operations, over a {@link Namespace}
 * (metadata) and a {@link DataStore} (bytes). It knows nothing of FUSE, so every semantic is testable without a
 * mount; the jnr-fuse adapter only converts structs and errnos.
 * <p>
 * What lives here and nowhere else: path resolution through the dentry cache, the handle table with the
 * per-inode open state (size and mtime run ahead of the namespace until flush/fsync/release, so writes cost no
 * metadata round trip), O_APPEND through the data store's append, clamping reads to the size, truncate of data plus size,
 * deferred freeing of data of unlinked-but-open inodes, and S_ISGID inheritance and S_ISUID clearing.
 * Permission checks are the kernel's ({@code default_permissions}). Every failure is an {@link FsException}.
 */
public final class Vfs implements AutoCloseable {
    public static final int S_IFMT = 0170000;
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_IXGRP = 0010;
    public static final int BLOCK_SIZE = 4096;
    private static final int READDIR_PAGE = 1024;
    private static final Logger log = LoggerFactory.getLogger(Vfs.class);

    private final Namespace ns;
    private final DataStore data;
    /** Old paths of open files that another member unlinked (see {@link #keepsDataOfRemovedInode}). */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> removedElsewhere =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Clock clock;
    private final DentryCache cache;
    private final PathResolver resolver;
    private final OpenFiles open = new OpenFiles();
    private final HiddenNames hidden = new HiddenNames();
    private final KernelCacheGuard kernelCache = new KernelCacheGuard();
    private final RecentPaths recentPaths = new RecentPaths(RecentPaths.DEFAULT_CAPACITY);
    /** Cluster mode: open(2) asks the directory for the name and attributes (close-to-open, as NFS's GETATTR). */
    private volatile boolean openRevalidates;

    public Vfs(Namespace ns, DataStore data, Clock clock) {
        this(ns, data, clock, Duration.ofSeconds(1));
    }

    public Vfs(Namespace ns, DataStore data, Clock clock, Duration cacheTtl) {
        this.ns = ns;
        this.data = data;
        this.clock = clock;
        this.cache = new DentryCache(cacheTtl, 200_000);
        this.resolver = new PathResolver(ns, cache);
    }

    /** The name and attribute caches, for invalidations pushed from elsewhere. */
    public DentryCache cache() {
        return cache;
    }

    // ---------------------------------------------------------------- attributes

    public Attr getattr(String path) {
        InodeRef h = hidden.get(path);
        if (h != null) {
            OpenInode s = open.inode(h.ino());
            if (s == null) {
                throw FsException.of(Errno.ENOENT, "%s: closed", path);
            }
            return attrOfOpen(s);
        }
        try {
            Node n = resolver.resolve(path);
            return overlay(n.ref().ino(), resolver.attr(n.ref()));
        } catch (FsException e) {
            Long gone = e.errno() == Errno.ENOENT && path != null ? removedElsewhere.get(path) : null;
            OpenInode s = gone == null ? null : open.inode(gone);
            if (s != null && s.unlinked()) {
                return attrOfOpen(s); // libfuse still names it by the path: fstat of a file unlinked elsewhere
            }
            throw e;
        }
    }

    /** fstat: works from the handle alone, also for an inode that lost its last name. */
    public Attr fgetattr(String path, long fh) {
        return attrOfOpen(open.get(fh).inode());
    }

    /**
     * libfuse 2.9 decrements st_nlink of a node it hid (it counts the hidden name as a link), so an inode it hid is
     * reported with one link more here, and the application sees the true count.
     */
    private Attr attrOfOpen(OpenInode s) {
        Attr a = attrOfOpenInode(s);
        return s.hiddenByLibfuse() ? a.withNlink(a.nlink() + 1) : a;
    }

    private Attr attrOfOpenInode(OpenInode s) {
        Attr gone = s.unlinkedAttr();
        if (gone != null) {
            return s.overlay(gone);
        }
        try {
            Attr recorded = resolver.attr(s.ref());
            s.seen(recorded);
            return s.overlay(recorded);
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT && s.unlinked()) {
                return s.overlay(s.unlinkedAttr());
            }
            throw e;
        }
    }

    private Attr overlay(long ino, Attr recorded) {
        OpenInode s = open.inode(ino);
        return s == null ? recorded : s.overlay(recorded);
    }

    public void chmod(String path, int mode, Caller caller) {
        Node n = resolver.resolve(path);
        setattr(n.ref(), SetAttr.mode(mode & 07777), caller);
    }

    /** chown(2): -1 leaves an id unchanged; a regular file loses S_ISUID (and S_ISGID when group-executable). */
    public void chown(String path, int uid, int gid, Caller caller) {
        Node n = resolver.resolve(path);
        Attr a = resolver.attr(n.ref());
        Integer newMode = null;
        if (a.type() == FileType.REGULAR && withoutPrivs(a.mode()) != a.mode()) {
            newMode = withoutPrivs(a.mode());
        }
        setattr(n.ref(), new SetAttr(newMode, uid == -1 ? null : uid, gid == -1 ? null : gid, null, null, null), caller);
    }

    /** {@code mode} without S_ISUID, and without S_ISGID when group-executable (what chown and writes remove). */
    private static int withoutPrivs(int mode) {
        int m = mode & ~S_ISUID;
        if ((m & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) {
            m &= ~S_ISGID;
        }
        return m;
    }

    /**
     * utimensat(2): a null time is UTIME_OMIT, {@link SetAttr#NOW} is UTIME_NOW. Unflushed writes are recorded first
     * so that their mtime cannot overwrite the explicit one at close (cp -p, tar, rsync).
     */
    public void utimens(String path, Long atimeNs, Long mtimeNs, Caller caller) {
        Node n = resolver.resolve(path);
        if (atimeNs == null && mtimeNs == null) {
            return;
        }
        OpenInode s = open.inode(n.ref().ino());
        if (s != null && mtimeNs != null) {
            flushState(s);
        }
        setattr(n.ref(), SetAttr.times(atimeNs, mtimeNs), caller);
        if (s != null && mtimeNs != null) {
            s.markClean();
        }
    }

    private Attr setattr(InodeRef ref, SetAttr change, Caller caller) {
        try {
            Attr a = ns.setattr(ref, change, caller);
            OpenInode s = open.inode(ref.ino());
            if (s != null) {
                s.seen(a); // what a write checks for set-id bits
            }
            return a;
        } finally {
            cache.invalidateAttr(ref.ino());
        }
    }

    public void truncate(String path, long size, Caller caller) {
        Node n = resolver.resolve(path);
        requireRegular(n.attr().type(), path);
        truncate(n.ref(), open.inode(n.ref().ino()), size, caller);
    }

    public void ftruncate(String path, long fh, long size, Caller caller) {
        OpenFile f = open.get(fh);
        OpenInode s = f.inode();
        if (s.unlinked()) {
            checkSize(size);
            data.truncate(s.ref().ino(), size);
            s.truncatedUnlinked(size, nowNs());
            return;
        }
        truncate(s.ref(), s, size, caller);
    }

    /** fallocate(2) flags (linux/falloc.h). */
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;
    private static final int ZEROS = 1 << 20;

    /**
     * fallocate(2) on an open file. Mode 0 grows the size to {@code offset + length} (the tiers allocate on write,
     * so nothing is reserved: a later write can still meet ENOSPC); KEEP_SIZE alone changes nothing; PUNCH_HOLE
     * (with KEEP_SIZE, as Linux requires) and ZERO_RANGE write zeros over the range inside the size, ZERO_RANGE
     * without KEEP_SIZE then grows the size. Collapse, insert and unshare ranges are ENOTSUP, as on many file
     * systems; posix_fallocate(3) works (mode 0).
     */
    public void fallocate(String path, long fh, int mode, long offset, long length, Caller caller) {
        OpenInode s = open.get(fh).inode();
        if ((mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) != 0) {
            throw FsException.of(Errno.ENOTSUP, "%s: fallocate mode 0x%x not supported", path, mode);
        }
        boolean keep = (mode & FALLOC_FL_KEEP_SIZE) != 0;
        boolean punch = (mode & FALLOC_FL_PUNCH_HOLE) != 0;
        boolean zero = (mode & FALLOC_FL_ZERO_RANGE) != 0;
        if (offset < 0 || length <= 0 || (punch && !keep) || (punch && zero)) {
            throw FsException.of(Errno.EINVAL, "%s: fallocate mode 0x%x offset %d length %d", path, mode, offset, length);
        }
        if (offset + length < 0) {
            throw FsException.of(Errno.EFBIG, "%s: fallocate past the largest offset", path);
        }
        long end = offset + length;
        if (punch || zero) {
            long size = Math.max(s.size(), s.unlinked() ? 0 : resolver.attr(s.ref()).size());
            writeZeros(s, offset, Math.min(end, size));
        }
        if (!keep && end > s.size()) {
            growOpen(s, end, caller);
        }
    }

    private void writeZeros(OpenInode s, long from, long to) {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZEROS, Math.max(0, to - from)));
        for (long pos = from; pos < to; ) {
            int n = (int) Math.min(zeros.capacity(), to - pos);
            zeros.clear().limit(n);
            data.write(s.ref().ino(), pos, zeros);
            pos += n;
            s.written(pos, nowNs());
        }
    }

    /** Grows an open file's size (ftruncate's path, also for an inode that lost its last name). */
    private void growOpen(OpenInode s, long size, Caller caller) {
        if (s.unlinked()) {
            data.truncate(s.ref().ino(), size);
            s.truncatedUnlinked(size, nowNs());
            return;
        }
        truncate(s.ref(), s, size, caller);
    }

    private void truncate(InodeRef ref, OpenInode s, long size, Caller caller) {
        checkSize(size);
        if (s != null) {
            flushState(s);
        }
        long recorded = resolver.attr(ref).size();
        long old = s == null ? recorded : Math.max(recorded, s.size());
        if (size < old) {
            data.truncate(ref.ino(), size);
        } else if (size > old) {
            data.truncate(ref.ino(), old); // nothing stale may show through the grown range
        }
        setattr(ref, new SetAttr(null, null, null, size, null, SetAttr.NOW), caller);
        kernelCache.changedHere(ref.ino());
        if (s != null) {
            s.truncated(size);
        }
    }

    private static void checkSize(long size) {
        if (size < 0) {
            throw FsException.of(Errno.EINVAL, "negative size %d", size);
        }
    }

    private static void requireRegular(FileType type, String path) {
        if (type == FileType.DIRECTORY) {
            throw FsException.of(Errno.EISDIR, "%s is a directory", path);
        }
        if (type != FileType.REGULAR) {
            throw FsException.of(Errno.EINVAL, "%s is not a regular file", path);
        }
    }

    // ---------------------------------------------------------------- names

    public String readlink(String path) {
        Node n = resolver.resolve(path);
        if (n.attr().type() != FileType.SYMLINK) {
            throw FsException.of(Errno.EINVAL, "%s is not a symlink", path);
        }
        return ns.readlink(n.ref());
    }

    /**
     * mknod(2): regular files, FIFOs, sockets (bind(2) of a UNIX socket) and device nodes, {@code rdev} being the
     * device number of the latter. Who may make a device node is the kernel's check (CAP_MKNOD), done before.
     */
    public Attr mknod(String path, int mode, long rdev, Caller caller) {
        int fmt = mode & S_IFMT;
        FileType type = fmt == 0 ? FileType.REGULAR : FileType.fromMode(mode);
        if (!type.isMknodType()) {
            throw FsException.of(Errno.EINVAL, "%s: mknod cannot make a %s (mode 0%o)", path, type, mode);
        }
        PathResolver.Parent p = resolver.parent(path);
        Node n = ns.mknod(p.dir(), p.name(), (mode & 07777) | type.ifmt(), rdev, owner(p.dir(), caller));
        created(p, n);
        if (type == FileType.REGULAR) {
            data.created(n.ref().ino(), path, n.attr().uid(), n.attr().gid());
            data.pathSeen(n.ref().ino(), path);
        }
        return n.attr();
    }

    public Attr mkdir(String path, int mode, Caller caller) {
        PathResolver.Parent p = resolver.parent(path);
        Attr dir = resolver.attr(dirRef(p.dir()));
        int m = mode & 07777;
        Caller c = caller;
        if ((dir.mode() & S_ISGID) != 0) {
            m |= S_ISGID;
            c = new Caller(caller.uid(), dir.gid());
        }
        Node n = ns.mkdir(p.dir(), p.name(), m, c);
        created(p, n);
        cache.markComplete(n.ref().ino());
        return n.attr();
    }

    public Attr symlink(String target, String linkPath, Caller caller) {
        PathResolver.Parent p = resolver.parent(linkPath);
        Node n = ns.symlink(p.dir(), p.name(), target, owner(p.dir(), caller));
        created(p, n);
        return n.attr();
    }

    public Attr link(String existing, String newPath) {
        Node target = resolver.resolve(existing);
        if (target.attr().type() == FileType.DIRECTORY) {
            throw FsException.of(Errno.EPERM, "%s: hard links to directories are not allowed", existing);
        }
        PathResolver.Parent p = resolver.parent(newPath);
        Node n;
        kernelCache.linked(target.ref().ino());
        try {
            n = ns.link(target.ref(), p.dir(), p.name());
        } finally {
            cache.invalidateAttr(target.ref().ino());
        }
        created(p, n);
        return n.attr();
    }

    public void unlink(String path) {
        if (hidden.remove(path) != null) {
            return; // libfuse's last-close unlink of a hidden name: the namespace forgot it at the hide already
        }
        PathResolver.Parent p = resolver.parent(path);
        Removal r;
        try {
            r = ns.unlink(p.dir(), p.name());
        } catch (RuntimeException e) {
            cache.invalidateAttr(p.dir());
            throw e;
        } finally {
            cache.invalidateEntry(p.dir(), p.name());
        }
        cache.touchDir(p.dir(), nowNs(), 0);
        cache.invalidateAttr(r.ref().ino());
        removed(r);
    }

    public void rmdir(String path) {
        PathResolver.Parent p = resolver.parent(path);
        Long victim = inoIfPresent(p.dir(), p.name());
        try {
            ns.rmdir(p.dir(), p.name());
        } catch (RuntimeException e) {
            cache.invalidateAttr(p.dir());
            throw e;
        } finally {
            cache.invalidateEntry(p.dir(), p.name());
            if (victim != null) {
                cache.invalidateAttr(victim);
            }
        }
        cache.touchDir(p.dir(), nowNs(), -1);
    }

    public void rename(String from, String to) {
        PathResolver.Parent s = resolver.parent(from);
        PathResolver.Parent d = resolver.parent(to);
        if (HiddenNames.isHideName(d.name()) && hide(s, to)) {
            return;
        }
        Long moved = inoIfPresent(s.dir(), s.name());
        Long replaced = inoIfPresent(d.dir(), d.name());
        Removal r;
        try {
            r = ns.rename(s.dir(), s.name(), d.dir(), d.name());
        } finally {
            cache.invalidateEntry(s.dir(), s.name());
            cache.invalidateEntry(d.dir(), d.name());
            cache.invalidateAttr(s.dir());
            cache.invalidateAttr(d.dir());
            if (moved != null) {
                cache.invalidateAttr(moved);
            }
            if (replaced != null) {
                cache.invalidateAttr(replaced);
            }
        }
        if (r != null) {
            cache.invalidateAttr(r.ref().ino());
            removed(r);
        }
        if (moved != null) {
            recentPaths.record(moved, to);
            OpenInode movedOpen = open.inode(moved);
            if (movedOpen != null) {
                movedOpen.openedAs(to);
            }
            data.pathSeen(moved, to);
        }
    }

    /**
     * libfuse hides an open file it is asked to unlink (or to replace by rename) by renaming it to a
     * {@code .fuse_hidden} name: unlink it for real and keep the name in memory (see {@link HiddenNames}).
     * Returns false when the source is not an open regular file, i.e. an ordinary rename to such a name.
     */
    private boolean hide(PathResolver.Parent src, String hiddenPath) {
        Node n = resolver.lookup(src.dir(), src.name());
        if (n.attr().type() != FileType.REGULAR || open.inode(n.ref().ino()) == null) {
            return false;
        }
        Removal r;
        try {
            r = ns.unlink(src.dir(), src.name());
        } finally {
            cache.invalidateEntry(src.dir(), src.name());
            cache.invalidateAttr(src.dir());
        }
        cache.invalidateAttr(r.ref().ino());
        hidden.put(hiddenPath, r.ref());
        open.inode(r.ref().ino()).markHidden();
        removed(r);
        return true;
    }

    private Long inoIfPresent(long dir, String name) {
        try {
            return resolver.lookup(dir, name).ref().ino();
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    private void created(PathResolver.Parent p, Node n) {
        cache.putEntry(p.dir(), p.name(), n);
        cache.touchDir(p.dir(), nowNs(), n.attr().type() == FileType.DIRECTORY ? 1 : 0);
    }

    /**
     * Another member removed the last name of {@code ino}, whose data lives here, and asks for its data to be freed:
     * if a handle here still holds the inode, it becomes nameless here too and its data goes with the last release
     * (POSIX: an unlinked file stays readable and writable while open). Returns whether a handle keeps it.
     */
    public boolean keepsDataOfRemovedInode(long ino) {
        OpenInode s = open.inode(ino);
        if (s == null || s.lastSeen() == null) {
            return false;
        }
        if (!open.markUnlinked(ino, s.lastSeen())) {
            return false;
        }
        // libfuse does not know the name went (it hides only what is unlinked through this mount): fstat arrives
        // as a getattr of the old path, answered from the handle (see getattr)
        String p = s.path();
        if (p != null) {
            removedElsewhere.put(p, ino);
        }
        return true;
    }

    /** An inode lost its last name: free its data now, or at its last release when it is open. */
    private void removed(Removal r) {
        if (!r.lastLink() || r.attr().type() != FileType.REGULAR) {
            return;
        }
        if (!open.markUnlinked(r.ref().ino(), r.attr())) {
            data.delete(r.ref().ino());
        }
    }

    /** The owner of a new inode: the caller, with the directory's group when the directory has S_ISGID. */
    private Caller owner(long dir, Caller caller) {
        Attr d = resolver.attr(dirRef(dir));
        if ((d.mode() & S_ISGID) != 0) {
            return new Caller(caller.uid(), d.gid());
        }
        return caller;
    }

    private static InodeRef dirRef(long dir) {
        return new InodeRef(dir, dir);
    }

    /** The entries of a directory, with "." and ".." first. */
    public List<DirEntry> readdir(String path) {
        Node n = resolver.resolve(path);
        if (n.attr().type() != FileType.DIRECTORY) {
            throw FsException.of(Errno.ENOTDIR, "%s is not a directory", path);
        }
        long dir = n.ref().ino();
        List<DirEntry> out = new ArrayList<>();
        out.add(new DirEntry(".", dir, FileType.DIRECTORY));
        out.add(new DirEntry("..", resolver.parentDirIno(path), FileType.DIRECTORY));
        String after = null;
        while (true) {
            List<DirEntry> page = ns.readdir(dir, after, READDIR_PAGE);
            out.addAll(page);
            if (page.size() < READDIR_PAGE) {
                return out;
            }
            after = page.get(page.size() - 1).name();
        }
    }

    // ---------------------------------------------------------------- open files

    /**
     * Makes every open(2) fetch the file's name and attributes from its directory instead of the cache: what another
     * member wrote and closed before this open is seen, whatever happened to the pushed invalidation
     * (close-to-open consistency, docs/consistency.md). Costs one metadata round trip per open.
     */
    public void revalidateOnOpen(boolean on) {
        this.openRevalidates = on;
    }

    /**
     * Whether names may also change through other members' mounts (set with {@link #revalidateOnOpen}): the kernel
     * of this mount may then hold names that are gone.
     */
    public boolean namesChangeElsewhere() {
        return openRevalidates;
    }

    /** open(2) of an existing file; O_TRUNC truncates. Returns the handle. */
    public long open(String path, int flags, Caller caller) {
        if (openRevalidates && !path.equals("/")) {
            PathResolver.Parent last = resolver.parent(path);
            cache.invalidateEntry(last.dir(), last.name()); // the lookup below seeds fresh attributes
        }
        Node n = resolver.resolve(path);
        FileType type = n.attr().type();
        if (type == FileType.DIRECTORY) {
            throw FsException.of(Errno.EISDIR, "%s is a directory", path);
        }
        Attr a = resolver.attr(n.ref());
        OpenFile f = open.open(n.ref(), a.size(), flags);
        f.inode().seen(a);
        f.inode().openedAs(path);
        truncateOnOpen(f, flags, caller);
        recentPaths.record(n.ref().ino(), path);
        data.accessed(n.ref().ino());
        return f.fh();
    }

    /** open(2) with O_CREAT: O_EXCL fails on an existing name, O_TRUNC truncates an existing file. */
    public long create(String path, int mode, int flags, Caller caller) {
        PathResolver.Parent p = resolver.parent(path);
        boolean excl = OpenFlags.has(flags, OpenFlags.O_EXCL);
        Node n = ns.create(p.dir(), p.name(), (mode & 07777) | FileType.REGULAR.ifmt(), owner(p.dir(), caller), excl);
        if (n.attr().type() == FileType.DIRECTORY) {
            throw FsException.of(Errno.EISDIR, "%s is a directory", path);
        }
        created(p, n);
        if (n.attr().size() == 0 && n.attr().nlink() == 1) {
            data.created(n.ref().ino(), path, n.attr().uid(), n.attr().gid());
        }
        data.pathSeen(n.ref().ino(), path);
        OpenFile f = open.open(n.ref(), n.attr().size(), flags);
        f.inode().seen(n.attr());
        f.inode().openedAs(path);
        truncateOnOpen(f, flags, caller);
        recentPaths.record(n.ref().ino(), path);
        data.accessed(n.ref().ino());
        return f.fh();
    }

    /**
     * Whether the handle {@code fh} must bypass the kernel's page cache (FUSE direct_io): O_APPEND handles. The
     * kernel writes an append at the end it knows, but the data lands at the end the file's data home knows (other
     * members may have appended meanwhile): through the page cache, the kernel would keep this member's bytes cached
     * at the offset it guessed.
     */
    public boolean bypassesPageCache(long fh) {
        return open.get(fh).append();
    }

    /** Whether {@code fh} was opened write-only (O_WRONLY): it never reads nor maps the file. */
    public boolean writeOnly(long fh) {
        int flags = open.get(fh).flags();
        return OpenFlags.writable(flags) && !OpenFlags.readable(flags);
    }

    /**
     * Whether {@code fh} may write and the file was empty when it was opened (a file it created, one it truncated
     * with O_TRUNC, or an empty one): whatever it reads back is what was written since, so no earlier page cache
     * of the file can serve it. Asked right after open.
     */
    public boolean writesIntoEmptyFile(long fh) {
        OpenFile f = open.get(fh);
        return OpenFlags.writable(f.flags()) && f.inode().size() == 0;
    }

    /**
     * Whether the kernel may keep its cached pages of the file opened as {@code fh} (see {@link KernelCacheGuard});
     * asked right after open.
     */
    public boolean keepsPageCache(long fh) {
        OpenInode s = open.get(fh).inode();
        Attr a = resolver.attr(s.ref());
        boolean unchanged = !openRevalidates // cluster: another member may have changed the bytes since
                || kernelCache.unchangedSinceLastOpen(s.ref().ino(), a.size(), a.mtimeNs());
        return kernelCache.mayCache(s.ref().ino(), a.nlink()) && unchanged;
    }

    /**
     * Whether the kernel may cache these attributes for a while: directories only. A file may get a second name at
     * any time, and libfuse 2 then gives that name a new kernel inode while the first keeps its cached nlink (the
     * kernel's link only refreshes ctime), so file attributes are asked every time.
     */
    public boolean attrsCacheable(Attr a) {
        return a.type() == FileType.DIRECTORY;
    }

    /**
     * Whether the kernel may keep a new file's attributes for a moment after its create (the FUSE adapter makes
     * that safe against hard links): on a single node, where every change of the file goes through this kernel;
     * not in a cluster, where another member may change it.
     */
    public boolean attrsCacheableAtCreate() {
        return !openRevalidates;
    }

    private void truncateOnOpen(OpenFile f, int flags, Caller caller) {
        if (OpenFlags.has(flags, OpenFlags.O_TRUNC) && OpenFlags.writable(flags)) {
            OpenInode s = f.inode();
            if (Math.max(s.size(), resolver.attr(s.ref()).size()) > 0) {
                try {
                    truncate(s.ref(), s, 0, caller);
                } catch (RuntimeException e) {
                    release(null, f.fh());
                    throw e;
                }
            }
        }
    }

    /** Reads at {@code offset} into {@code dst} (up to its remaining bytes), clamped to the file size. */
    public int read(String path, long fh, long offset, ByteBuffer dst) {
        OpenInode s = open.get(fh).inode();
        int n = readable(s, offset, dst.remaining());
        if (n == 0) {
            return 0;
        }
        int oldLimit = dst.limit();
        dst.limit(dst.position() + n);
        try {
            return data.read(s.ref().ino(), offset, dst);
        } finally {
            dst.limit(oldLimit);
        }
    }

    /**
     * Reads up to {@code len} bytes at {@code offset}, clamped to the file size, into {@code sink} (chunk files as
     * extents where the data store can name them: the FUSE edge splices those). Returns the bytes the sink received.
     */
    public int read(String path, long fh, long offset, int len, ReadSink sink) {
        OpenInode s = open.get(fh).inode();
        int n = readable(s, offset, len);
        if (n > 0) {
            data.read(s.ref().ino(), offset, n, sink);
        }
        return n;
    }

    /** How many of {@code len} bytes at {@code offset} lie within the file. */
    private int readable(OpenInode s, long offset, int len) {
        if (offset < 0) {
            throw FsException.of(Errno.EINVAL, "negative offset %d", offset);
        }
        long size = s.size();
        if (openRevalidates && offset + len > size && !s.unlinked()) {
            size = grownElsewhere(s);
        }
        if (offset >= size || len <= 0) {
            return 0;
        }
        return (int) Math.min(len, size - offset);
    }

    /** Cluster mode: the size of an open file that writers on other members may have grown (cached attributes). */
    private long grownElsewhere(OpenInode s) {
        try {
            return s.sawRecordedSize(resolver.attr(s.ref()).size());
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return s.size(); // unlinked elsewhere: the open handle keeps what it knew
            }
            throw e;
        }
    }

    /**
     * Writes all of {@code src} at {@code offset}, or for O_APPEND handles at the file's current end, ordered with
     * every other append to the file on its data home ({@link DataStore#append}).
     */
    public int write(String path, long fh, long offset, ByteBuffer src) {
        return write(path, fh, offset, src, Caller.ROOT);
    }

    /**
     * write(2) by {@code writer}: as {@link #write(String, long, long, ByteBuffer)}, and a writer other than root first
     * removes the file's S_ISUID (and S_ISGID when group-executable), as Linux does for every write by a process
     * without CAP_FSETID. The kernel does that itself (a SETATTR) before writes through its page cache, but leaves it
     * to the file system for direct-I/O handles (FUSE_WRITE_KILL_SUIDGID, which libfuse 2 does not pass on): O_APPEND,
     * write-only, and read-write handles of files empty at open here. Checked against the attributes last seen for the
     * open file (at open, fstat and every setattr through this mount), so a write of a file without set-id bits asks
     * nothing.
     */
    public int write(String path, long fh, long offset, ByteBuffer src, Caller writer) {
        OpenFile f = open.get(fh);
        OpenInode s = f.inode();
        if (writer.uid() != 0) {
            dropSetIdBits(s);
        }
        int len = src.remaining();
        long ino = s.ref().ino();
        if (f.append()) {
            // The kernel's offset is the end it knows; the data store appends at the end the file's data home knows
            // (ordered there with every other member's appends) and says where that was.
            long known = openRevalidates && !s.unlinked() ? grownElsewhere(s) : s.size();
            long at = data.append(ino, known, src);
            s.written(at + len, nowNs());
            return len;
        }
        if (offset < 0 || offset + len < 0) {
            throw FsException.of(Errno.EINVAL, "bad offset %d", offset);
        }
        data.write(ino, offset, src);
        s.written(offset + len, nowNs());
        return len;
    }

    private void dropSetIdBits(OpenInode s) {
        Attr seen = s.lastSeen();
        if (seen == null || seen.type() != FileType.REGULAR || withoutPrivs(seen.mode()) == seen.mode()
                || s.unlinked()) {
            return;
        }
        Attr now = resolver.attr(s.ref());
        int mode = withoutPrivs(now.mode());
        if (mode != now.mode()) {
            // as the kernel's ATTR_FORCE: the writer need not own the file to lose its set-id bits
            setattr(s.ref(), SetAttr.mode(mode), Caller.ROOT);
        } else {
            s.seen(now);
        }
    }

    /** The inode an open handle is on (EBADF for an unknown handle). */
    public long inoOf(long fh) {
        return open.get(fh).inode().ref().ino();
    }

    /** close(2) of one descriptor: the size and mtime reach the namespace. */
    public void flush(String path, long fh) {
        flushState(open.get(fh).inode());
    }

    /** fsync(2): data durable, then size and mtime recorded. */
    public void fsync(String path, long fh, boolean datasync) {
        OpenInode s = open.get(fh).inode();
        data.fsync(s.ref().ino());
        flushState(s);
        // Metadata acknowledged early (create, size, times) becomes durable: the inode's home, and the name's parent.
        ns.sync(s.ref().home());
        if (path != null && hidden.get(path) == null) {
            long parent;
            try {
                parent = resolver.parent(path).dir();
            } catch (FsException e) {
                if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR) {
                    return; // renamed away meanwhile: the data and the inode are durable, its old name is moot
                }
                throw e;
            }
            if (parent != s.ref().home()) {
                ns.sync(parent);
            }
        }
    }

    /** fsync(2) of a directory: every change to its entries acknowledged so far is durable when this returns. */
    public void fsyncdir(String path) {
        Node n = resolver.resolve(path);
        if (n.attr().type() != FileType.DIRECTORY) {
            throw FsException.of(Errno.ENOTDIR, "%s is not a directory", path);
        }
        ns.sync(n.ref().ino());
    }

    /** The last close of a handle; an unlinked inode's data goes with its last handle. */
    public void release(String path, long fh) {
        OpenFile f = open.get(fh);
        try {
            flushState(f.inode());
        } finally {
            OpenInode last = open.release(fh);
            if (last != null && last.unlinked()) {
                removedElsewhere.values().remove(last.ref().ino());
                data.delete(last.ref().ino());
                kernelCache.forget(last.ref().ino());
            }
        }
    }

    private void flushState(OpenInode s) {
        data.drain(s.ref().ino()); // queued remote writes land before the size is recorded and close returns
        if (s.unlinked()) {
            return;
        }
        OpenInode.Pending p = s.pending();
        if (p == null) {
            return;
        }
        try {
            ns.updateSize(s.ref(), p.size(), p.mtimeNs(), false);
            kernelCache.changedHere(s.ref().ino());
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT && s.unlinked()) {
                return; // lost its name meanwhile: nothing to record
            }
            throw e;
        } finally {
            cache.invalidateAttr(s.ref().ino());
        }
        s.flushed(p.seq());
    }

    /**
     * The path {@code ino} was last opened or created under, if that path still names it (bounded memory, see
     * {@link RecentPaths}); for the policy engine, which matches rules by path.
     */
    public java.util.Optional<String> recentPath(long ino) {
        java.util.Optional<String> p = recentPaths.get(ino);
        if (p.isEmpty()) {
            p = data.pathHint(ino); // seen before a restart (persisted with the layout)
            if (p.isEmpty()) {
                return p;
            }
        }
        try {
            if (resolver.resolve(p.get()).ref().ino() == ino) {
                recentPaths.record(ino, p.get());
                return p;
            }
        } catch (FsException e) {
            log.debug("recorded path {} of inode {} is gone: {}", p.get(), ino, e.getMessage());
        }
        recentPaths.forget(ino);
        return java.util.Optional.empty();
    }

    /** Remembers {@code path} as a name of the file it resolves to (pins, pre-stages); returns its inode. */
    public long rememberPath(String path) {
        long ino = resolver.resolve(path).ref().ino();
        recentPaths.record(ino, path);
        data.pathSeen(ino, path);
        return ino;
    }

    /** Number of open handles (for status and tests). */
    public int openHandles() {
        return open.openHandles();
    }

    // ---------------------------------------------------------------- xattrs

    public void setxattr(String path, String name, byte[] value, int flags) {
        InodeRef ref = resolver.resolve(path).ref();
        try {
            ns.setxattr(ref, name, value, flags);
        } finally {
            cache.invalidateAttr(ref.ino());
            cache.invalidateXattr(ref.ino(), name);
        }
    }

    public byte[] getxattr(String path, String name) {
        InodeRef ref = resolver.resolve(path).ref();
        return cache.xattr(ref.ino(), name, () -> ns.getxattr(ref, name)).clone();
    }

    public List<String> listxattr(String path) {
        return ns.listxattr(resolver.resolve(path).ref());
    }

    public void removexattr(String path, String name) {
        InodeRef ref = resolver.resolve(path).ref();
        try {
            ns.removexattr(ref, name);
        } finally {
            cache.invalidateAttr(ref.ino());
            cache.invalidateXattr(ref.ino(), name);
        }
    }

    // ---------------------------------------------------------------- file system

    /** statvfs: the tiers summed, 4 KiB blocks; inodes from the namespace. */
    public StatFs statfs() {
        long capacity = 0;
        long used = 0;
        for (TierUsage t : data.usage()) {
            capacity += Math.max(0, t.capacityBytes());
            used += Math.max(0, t.usedBytes());
        }
        long blocks = capacity / BLOCK_SIZE;
        long free = Math.max(0, capacity - used) / BLOCK_SIZE;
        long inodes = ns.inodeCount();
        long freeInodes = 1L << 32;
        return new StatFs(BLOCK_SIZE, blocks, free, free, inodes + freeInodes, freeInodes, 255);
    }

    private long nowNs() {
        return io.tierfs.common.time.Times.nowNs(clock);
    }

    /** Records what open handles wrote (a clean unmount); the namespace and data store stay the caller's. */
    @Override
    public void close() {
        log.debug("closing VFS with {} open handles", open.openHandles());
        for (OpenInode s : open.inodes()) {
            flushState(s);
        }
    }
}
