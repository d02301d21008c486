package io.tierfs.meta.client;

import io.tierfs.common.Attr;
import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.Errno;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.Names;
import io.tierfs.common.SetAttr;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Node;
import io.tierfs.meta.api.Removal;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.RenameIntent;
import io.tierfs.meta.state.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The {@link Namespace} operations as sequences of single-entity commands, shared by the in-process and the
 * clustered namespace. Multi-entity operations are ordered so that a crash between two steps leaves nlink too
 * high (a leaked inode), never too low (a name pointing at nothing):
 * <ul>
 * <li>mkdir: initialize the child entity, then add the name in the parent (a crash leaves an unreachable child);</li>
 * <li>link: home nlink+1, then the remote dentry;</li>
 * <li>unlink of a remote name: remove the dentry, then home nlink-1;</li>
 * <li>cross-directory rename (file or directory): see {@link CrossDirRename}: a {@link RenameIntent} persisted in
 *     the source together with the removal of the source name, then target name, victim, parent pointer or ctime,
 *     close; atomic under crashes (re-driven by the source directory), and directory renames are serialized by a
 *     cluster-wide lock so that they never create a cycle;</li>
 * <li>rmdir: the child persists a "removing" tombstone (ENOTEMPTY unless empty; refuses creates from then on),
 *     then the parent removes the name, then the child is marked removed.</li>
 * </ul>
 * Early replies (see {@code io.tierfs.meta.entity.DirFront}): a command whose effect is confined to one directory
 * and whose durability orders no other directory's step is sent early and acknowledged before it is durable:
 * create of a file/FIFO/symlink, the parent's name step of mkdir (after the child was initialized synchronously),
 * setattr, updateSize, xattr set/remove, unlink (the entity answers late when the name was a remote dentry) and
 * rename inside one directory (late when it replaced a remote file or a directory). Every other step above is
 * synchronous, and a synchronous reply means that everything its directory decided before is durable too, so
 * the crash orderings above hold even after early operations. {@link #sync} is the barrier that makes the early
 * ones durable. The clustered gateway asks early only of entities in the caller's JVM; through sharding (an
 * entity possibly on another node) every step is synchronous, so that the crash of another metadata node never
 * loses an operation acknowledged to this client.
 * <p>
 * Retries: each step is one gateway call, which the clustered gateway retries (same request id) when a message
 * is lost to a node failure or shard move; the entity applies the step once and answers a retry with its first
 * answer (a retried create gets its entry, not EEXIST; a retried unlink gets what it removed, not ENOENT).
 */
public class NamespaceCore implements Namespace {
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceCore.class);
    private static final int S_IFMT = 0170000;

    private final DirGateway gw;
    private final InodeAllocator alloc;
    private final LongSupplier inodeCount;
    private final CrossDirRename crossDir;

    /**
     * @param renames the rename lock every client of this namespace respects, and the timing of cross-directory
     *                renames (see {@link CrossDirRename})
     */
    public NamespaceCore(DirGateway gw, InodeAllocator alloc, LongSupplier inodeCount, RenameSettings renames) {
        this.gw = gw;
        this.alloc = alloc;
        this.inodeCount = inodeCount;
        this.crossDir = new CrossDirRename(gw, renames);
    }

    /** The gateway to the directory entities (for tools and tests that drive single steps). */
    public DirGateway gateway() {
        return gw;
    }

    @SuppressWarnings("unchecked")
    private <T> T ask(long dir, DirCommand cmd) {
        return (T) gw.ask(dir, cmd, false);
    }

    /** An ask whose reply may come before durability: only for effects confined to {@code dir} (see class doc). */
    @SuppressWarnings("unchecked")
    private <T> T askEarly(long dir, DirCommand cmd) {
        return (T) gw.ask(dir, cmd, true);
    }

    /** Turns a dentry (+ attr when homed in the answering dir) into a Node, asking the home if needed. */
    private Node resolve(Replies.Entry e) {
        Dentry d = e.dentry();
        InodeRef ref = new InodeRef(d.ino(), d.home());
        if (e.attr() != null) {
            return new Node(ref, e.attr());
        }
        Attr a = ask(d.home(), new DirCommand.GetAttr(d.ino()));
        return new Node(ref, a);
    }

    private Dentry lookupDentry(long dir, String name) {
        Replies.Entry e = ask(dir, new DirCommand.Lookup(name));
        return e.dentry();
    }

    private Dentry lookupOrNull(long dir, String name) {
        try {
            return lookupDentry(dir, name);
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public Node lookup(long dir, String name) {
        Names.check(name);
        return resolve(ask(dir, new DirCommand.Lookup(name)));
    }

    @Override
    public Attr getattr(InodeRef ref) {
        return ask(ref.home(), new DirCommand.GetAttr(ref.ino()));
    }

    @Override
    public Node create(long dir, String name, int mode, Caller caller, boolean exclusive) {
        Names.check(name);
        int fmt = mode & S_IFMT;
        FileType type = fmt == 0 ? FileType.REGULAR : FileType.fromMode(mode);
        if (type != FileType.REGULAR && type != FileType.FIFO) {
            throw FsException.of(Errno.EINVAL, "create of type %s", type);
        }
        long ino = alloc.next();
        return resolve(askEarly(dir, new DirCommand.CreateInode(name, ino, type, mode & 07777, caller.uid(),
                caller.gid(), null, exclusive)));
    }

    @Override
    public Node mknod(long dir, String name, int mode, long rdev, Caller caller) {
        Names.check(name);
        int fmt = mode & S_IFMT;
        FileType type = fmt == 0 ? FileType.REGULAR : FileType.fromMode(mode);
        if (!type.isMknodType()) {
            throw FsException.of(Errno.EINVAL, "mknod of type %s", type);
        }
        long ino = alloc.next();
        return resolve(askEarly(dir, new DirCommand.CreateInode(name, ino, type, mode & 07777, caller.uid(),
                caller.gid(), null, true, type.isDevice() ? rdev : 0)));
    }

    @Override
    public Node mkdir(long dir, String name, int mode, Caller caller) {
        Names.check(name);
        long ino = alloc.next();
        Attr attr = ask(ino, new DirCommand.InitDir(dir, mode & 07777, caller.uid(), caller.gid()));
        try {
            askEarly(dir, new DirCommand.AddSubdir(name, ino));
        } catch (FsException e) {
            if (!ambiguous(e)) {
                discardDir(ino);
            }
            throw e;
        }
        return new Node(new InodeRef(ino, ino), attr);
    }

    private void discardDir(long ino) {
        try {
            ask(ino, new DirCommand.MarkRemoved());
        } catch (FsException e) {
            LOG.warn("could not discard unused directory entity {}: {}", ino, e.getMessage());
        }
    }

    @Override
    public Node symlink(long dir, String name, String target, Caller caller) {
        Names.check(name);
        if (target.isEmpty()) {
            throw FsException.of(Errno.ENOENT, "empty symlink target");
        }
        if (target.getBytes(StandardCharsets.UTF_8).length >= Names.PATH_MAX) {
            throw FsException.of(Errno.ENAMETOOLONG, "symlink target longer than %d bytes", Names.PATH_MAX);
        }
        long ino = alloc.next();
        return resolve(askEarly(dir, new DirCommand.CreateInode(name, ino, FileType.SYMLINK, 0777, caller.uid(),
                caller.gid(), target, true)));
    }

    @Override
    public String readlink(InodeRef ref) {
        return ask(ref.home(), new DirCommand.ReadLink(ref.ino()));
    }

    @Override
    public Node link(InodeRef target, long dir, String name) {
        Names.check(name);
        if (target.isDirectoryRef()) {
            throw FsException.of(Errno.EPERM, "hard link to directory %d", target.ino());
        }
        if (target.home() == dir) {
            Replies.Entry e = ask(dir, new DirCommand.LinkLocal(name, target.ino()));
            return resolve(e);
        }
        Removal counted = ask(target.home(), new DirCommand.AdjustLink(target.ino(), +1));
        Dentry d = new Dentry(target.ino(), counted.attr().type(), target.home());
        try {
            ask(dir, new DirCommand.AddRemote(name, d));
        } catch (FsException e) {
            if (!ambiguous(e)) {
                ask(target.home(), new DirCommand.AdjustLink(target.ino(), -1));
            }
            throw e;
        }
        return new Node(target, counted.attr());
    }

    @Override
    public Removal unlink(long dir, String name) {
        Names.check(name);
        Replies.Unlinked u = askEarly(dir, new DirCommand.Unlink(name));
        if (u.removal() != null) {
            return u.removal();
        }
        return dropRemote(u.dentry());
    }

    /** nlink-1 at the home of a dentry that was removed elsewhere. */
    private Removal dropRemote(Dentry d) {
        InodeRef ref = new InodeRef(d.ino(), d.home());
        try {
            return ask(d.home(), new DirCommand.AdjustLink(d.ino(), -1));
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                LOG.warn("home {} no longer holds inode {} while dropping a link", d.home(), d.ino());
                return new Removal(ref, null, true);
            }
            throw e;
        }
    }

    @Override
    public void rmdir(long dir, String name) {
        Names.check(name);
        Dentry d = lookupDentry(dir, name);
        if (!d.isDir()) {
            throw FsException.of(Errno.ENOTDIR, "%s is not a directory", name);
        }
        ask(d.ino(), new DirCommand.MarkRemoving());
        boolean removed;
        try {
            removed = ask(dir, new DirCommand.RemoveDentry(name, d.ino()));
        } catch (FsException e) {
            ask(d.ino(), new DirCommand.CancelRemoving());
            throw e;
        }
        if (!removed) {
            ask(d.ino(), new DirCommand.CancelRemoving());
            throw FsException.of(Errno.ENOENT, "%s changed during rmdir", name);
        }
        ask(d.ino(), new DirCommand.MarkRemoved());
    }

    @Override
    public Removal rename(long srcDir, String srcName, long dstDir, String dstName) {
        Names.check(srcName);
        Names.check(dstName);
        for (int attempt = 0; ; attempt++) {
            try {
                return renameOnce(srcDir, srcName, dstDir, dstName);
            } catch (FsException e) {
                if (e.errno() != Errno.EAGAIN || attempt >= 5) {
                    throw e;
                }
                LOG.debug("rename {}/{} -> {}/{} raced, retrying: {}", srcDir, srcName, dstDir, dstName, e.getMessage());
            }
        }
    }

    private Removal renameOnce(long srcDir, String srcName, long dstDir, String dstName) {
        Dentry src = lookupDentry(srcDir, srcName);
        Dentry victim = lookupOrNull(dstDir, dstName);
        if (victim != null && victim.ino() == src.ino()) {
            return null;
        }
        if (victim != null) {
            if (src.isDir() && !victim.isDir()) {
                throw FsException.of(Errno.ENOTDIR, "%s is not a directory", dstName);
            }
            if (!src.isDir() && victim.isDir()) {
                throw FsException.of(Errno.EISDIR, "%s is a directory", dstName);
            }
        }
        if (srcDir != dstDir) {
            if (victim != null && victim.ino() == srcDir) {
                throw FsException.of(Errno.ENOTEMPTY, "%s holds %s", dstName, srcName);
            }
            return crossDir.run(alloc.next(), srcDir, srcName, src, dstDir, dstName, victim);
        }
        if (victim != null && victim.isDir()) {
            ask(victim.ino(), new DirCommand.MarkRemoving());
        }
        Replies.Replaced r;
        try {
            r = askEarly(srcDir, new DirCommand.RenameLocal(srcName, src.ino(), dstName, victim == null ? 0 : victim.ino()));
        } catch (FsException e) {
            cancelRemoving(victim);
            throw e;
        }
        return finishVictim(r);
    }

    /**
     * A failure after which the step may or may not have been applied (no answer within the deadline, transport
     * failure): undoing it could leave nlink too low or a name pointing at a removed directory, so the caller
     * skips compensations of that kind and accepts a leak (nlink too high, an unreachable directory) instead.
     */
    private static boolean ambiguous(FsException e) {
        return e.errno() == Errno.ETIMEDOUT || e.errno() == Errno.EIO;
    }

    private void cancelRemoving(Dentry victim) {
        if (victim != null && victim.isDir()) {
            ask(victim.ino(), new DirCommand.CancelRemoving());
        }
    }

    /** After a name replaced a victim: a directory victim is marked removed, a remote file victim loses a link. */
    private Removal finishVictim(Replies.Replaced r) {
        Dentry v = r.replaced();
        if (v == null) {
            return null;
        }
        if (v.isDir()) {
            ask(v.ino(), new DirCommand.MarkRemoved());
            return null;
        }
        Removal removal = r.removal() != null ? r.removal() : dropRemote(v);
        return removal.lastLink() ? removal : null;
    }

    /**
     * Drives (or re-drives after a crash or a timeout) a pending cross-directory rename intent of directory
     * {@code srcDir} to its end (see {@link CrossDirRename#redrive}).
     */
    public void redrive(long srcDir, RenameIntent i) {
        crossDir.redrive(srcDir, i);
    }

    @Override
    public Attr setattr(InodeRef ref, SetAttr change, Caller caller) {
        return askEarly(ref.home(), new DirCommand.SetAttrs(ref.ino(), change, caller));
    }

    @Override
    public Attr updateSize(InodeRef ref, long size, long mtimeNs, boolean exact) {
        return askEarly(ref.home(), new DirCommand.UpdateSize(ref.ino(), size, mtimeNs, exact));
    }

    @Override
    public List<DirEntry> readdir(long dir, String after, int max) {
        return ask(dir, new DirCommand.Readdir(after, max));
    }

    @Override
    public void setxattr(InodeRef ref, String name, byte[] value, int flags) {
        askEarly(ref.home(), new DirCommand.SetXattr(ref.ino(), name, value, flags));
    }

    @Override
    public byte[] getxattr(InodeRef ref, String name) {
        return ask(ref.home(), new DirCommand.GetXattr(ref.ino(), name));
    }

    @Override
    public List<String> listxattr(InodeRef ref) {
        return ask(ref.home(), new DirCommand.ListXattr(ref.ino()));
    }

    @Override
    public void removexattr(InodeRef ref, String name) {
        askEarly(ref.home(), new DirCommand.RemoveXattr(ref.ino(), name));
    }

    @Override
    public long inodeCount() {
        return inodeCount.getAsLong();
    }

    @Override
    public void sync(long dir) {
        gw.sync(dir);
    }

    @Override
    public void syncAll() {
        gw.syncAll();
    }

    /** Makes every early-acknowledged operation of this client durable ({@link #syncAll()}). */
    @Override
    public void close() {
        syncAll();
    }
}
