package io.tierfs.meta.state;

import io.tierfs.common.Attr;
import io.tierfs.common.DirEntry;
import io.tierfs.common.Errno;
import io.tierfs.common.FileType;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.SetAttr;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.api.Removal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pure command side of a directory entity: validates a {@link DirCommand} against a {@link DirState} and
 * returns a {@link Decision} (events + reply) or throws an {@link FsException} carrying the errno. No I/O, no
 * actors, no clock: the time is passed in, so the same code runs in the Pekko entity and in LocalNamespace.
 */
public final class DirLogic {
    /** Linux limits for xattrs: a name of at most 255 bytes, a value of at most 64 KiB. */
    public static final int XATTR_NAME_MAX = 255;
    public static final int XATTR_SIZE_MAX = 65536;

    private DirLogic() {
    }

    public static Decision decide(DirState s, DirCommand c, long now) {
        if (c instanceof DirCommand.InitDir cmd) {
            return initDir(s, cmd, now);
        }
        if (!s.initialized) {
            throw FsException.of(Errno.ENOENT, "directory %d does not exist", s.ino);
        }
        if (c instanceof DirCommand.Lookup cmd) {
            Dentry d = need(s, cmd.name());
            return Decision.of(entry(s, d));
        }
        if (c instanceof DirCommand.GetAttr cmd) {
            return Decision.of(attrOf(s, cmd.ino()));
        }
        if (c instanceof DirCommand.GetParent) {
            return Decision.of(s.parent);
        }
        if (c instanceof DirCommand.CreateInode cmd) {
            return create(s, cmd, now);
        }
        if (c instanceof DirCommand.AddSubdir cmd) {
            Dentry d = new Dentry(cmd.child(), FileType.DIRECTORY, cmd.child());
            return addName(s, cmd.name(), d, now);
        }
        if (c instanceof DirCommand.LinkLocal cmd) {
            InodeRec rec = homedOrFail(s, cmd.ino());
            Dentry d = new Dentry(cmd.ino(), rec.attr.type(), s.ino);
            checkCanAdd(s, cmd.name());
            Attr a = rec.attr;
            Attr after = a.withNlink(a.nlink() + 1).withTimes(a.atimeNs(), a.mtimeNs(), now);
            return Decision.of(new Replies.Entry(d, after), new DirEvent.LinkAdjusted(cmd.ino(), 1, now),
                    new DirEvent.DentrySet(cmd.name(), d, now));
        }
        if (c instanceof DirCommand.AddRemote cmd) {
            checkCanAdd(s, cmd.name());
            return Decision.of(new Replies.Entry(cmd.dentry(), null), new DirEvent.DentrySet(cmd.name(), cmd.dentry(), now));
        }
        if (c instanceof DirCommand.AdjustLink cmd) {
            InodeRec rec = homedOrFail(s, cmd.ino());
            Attr a = rec.attr;
            if (rec.appliedToken(cmd.token())) {
                return Decision.of(new Removal(new InodeRef(cmd.ino(), s.ino), a, a.nlink() == 0));
            }
            int n = Math.max(0, a.nlink() + cmd.delta());
            Attr after = a.withNlink(n).withTimes(a.atimeNs(), a.mtimeNs(), now);
            return Decision.of(new Removal(new InodeRef(cmd.ino(), s.ino), after, n == 0),
                    new DirEvent.LinkAdjusted(cmd.ino(), cmd.delta(), now, cmd.token()));
        }
        if (c instanceof DirCommand.Unlink cmd) {
            return unlink(s, cmd, now);
        }
        if (c instanceof DirCommand.RemoveDentry cmd) {
            Dentry d = s.entries.get(cmd.name());
            if (d == null || d.ino() != cmd.ino()) {
                return Decision.of(false);
            }
            return Decision.of(true, new DirEvent.DentryRemoved(cmd.name(), now));
        }
        if (c instanceof DirCommand.PutDentry cmd) {
            return put(s, cmd, now);
        }
        if (c instanceof DirCommand.RenameLocal cmd) {
            return renameLocal(s, cmd, now);
        }
        if (c instanceof DirCommand.MarkRemoving) {
            if (s.ino == InodeRef.ROOT_INO) {
                throw FsException.of(Errno.EBUSY, "cannot remove the root directory");
            }
            if (!s.entries.isEmpty()) {
                throw FsException.of(Errno.ENOTEMPTY, "directory %d has %d entries", s.ino, s.entries.size());
            }
            if (!s.intents.isEmpty()) {
                throw FsException.of(Errno.EBUSY, "directory %d has a rename in progress", s.ino);
            }
            return s.removing ? Decision.of(true) : Decision.of(true, new DirEvent.RemovingSet(true));
        }
        if (c instanceof DirCommand.CancelRemoving) {
            return s.removing && !s.removed ? Decision.of(true, new DirEvent.RemovingSet(false)) : Decision.of(false);
        }
        if (c instanceof DirCommand.MarkRemoved) {
            return s.removed ? Decision.of(true) : Decision.of(true, new DirEvent.Removed(now));
        }
        if (c instanceof DirCommand.SetParent cmd) {
            return s.parent == cmd.parent() ? Decision.of(true)
                    : Decision.of(true, new DirEvent.ParentSet(cmd.parent(), now));
        }
        if (c instanceof DirCommand.ReadLink cmd) {
            InodeRec rec = inodeOrFail(s, cmd.ino());
            if (rec.attr.type() != FileType.SYMLINK) {
                throw FsException.of(Errno.EINVAL, "inode %d is not a symlink", cmd.ino());
            }
            return Decision.of(rec.target);
        }
        if (c instanceof DirCommand.SetAttrs cmd) {
            return setAttrs(s, cmd, now);
        }
        if (c instanceof DirCommand.UpdateSize cmd) {
            InodeRec rec = inodeOrFail(s, cmd.ino());
            Attr a = rec.attr;
            if (a.type() == FileType.DIRECTORY) {
                throw FsException.of(Errno.EISDIR, "inode %d is a directory", cmd.ino());
            }
            long size = cmd.exact() ? cmd.size() : Math.max(a.size(), cmd.size());
            long mtime = Math.max(a.mtimeNs(), cmd.mtimeNs());
            Attr after = a.withSize(size).withTimes(a.atimeNs(), mtime, Math.max(a.ctimeNs(), mtime));
            return after.equals(a) ? Decision.of(a) : Decision.of(after, new DirEvent.AttrSet(after));
        }
        if (c instanceof DirCommand.Readdir cmd) {
            return Decision.of(readdir(s, cmd));
        }
        if (c instanceof DirCommand.SetXattr cmd) {
            InodeRec rec = inodeOrFail(s, cmd.ino());
            checkXattrName(cmd.name());
            if (cmd.value().length > XATTR_SIZE_MAX) {
                throw FsException.of(Errno.E2BIG, "xattr value of %d bytes", cmd.value().length);
            }
            boolean present = rec.xattrs.containsKey(cmd.name());
            if ((cmd.flags() & Namespace.XATTR_CREATE) != 0 && present) {
                throw FsException.of(Errno.EEXIST, "xattr %s exists", cmd.name());
            }
            if ((cmd.flags() & Namespace.XATTR_REPLACE) != 0 && !present) {
                throw FsException.of(Errno.ENODATA, "xattr %s absent", cmd.name());
            }
            Attr a = rec.attr;
            return Decision.of(true, new DirEvent.XattrSet(cmd.ino(), cmd.name(), cmd.value().clone()),
                    new DirEvent.AttrSet(a.withTimes(a.atimeNs(), a.mtimeNs(), now).withNlink(a.nlink())));
        }
        if (c instanceof DirCommand.GetXattr cmd) {
            InodeRec rec = inodeOrFail(s, cmd.ino());
            checkXattrName(cmd.name());
            byte[] v = rec.xattrs.get(cmd.name());
            if (v == null) {
                throw FsException.of(Errno.ENODATA, "xattr %s absent", cmd.name());
            }
            return Decision.of(v.clone());
        }
        if (c instanceof DirCommand.ListXattr cmd) {
            return Decision.of(List.copyOf(inodeOrFail(s, cmd.ino()).xattrs.keySet()));
        }
        if (c instanceof DirCommand.RemoveXattr cmd) {
            InodeRec rec = inodeOrFail(s, cmd.ino());
            checkXattrName(cmd.name());
            if (!rec.xattrs.containsKey(cmd.name())) {
                throw FsException.of(Errno.ENODATA, "xattr %s absent", cmd.name());
            }
            Attr a = rec.attr;
            return Decision.of(true, new DirEvent.XattrRemoved(cmd.ino(), cmd.name()),
                    new DirEvent.AttrSet(a.withTimes(a.atimeNs(), a.mtimeNs(), now)));
        }
        if (c instanceof DirCommand.BeginDirRename cmd) {
            return beginRename(s, cmd.intent(), now);
        }
        if (c instanceof DirCommand.CloseDirRename cmd) {
            return closeRename(s, cmd, now);
        }
        if (c instanceof DirCommand.PendingIntents) {
            return Decision.of(s.pendingIntents());
        }
        if (c instanceof DirCommand.RenameOutcome cmd) {
            return Decision.of(renameOutcome(s, cmd.txid()));
        }
        if (c instanceof DirCommand.CountInodes) {
            return Decision.of(s.inodeCount());
        }
        if (c instanceof DirCommand.ListHomed cmd) {
            return Decision.of(listHomed(s, cmd));
        }
        throw new IllegalArgumentException("unknown command " + c);
    }

    /**
     * Rename step 1: the intent and the removal of the source name in one write (the linearization point of the
     * rename). A moved file homed here gets its ctime now (a file homed elsewhere gets it in a later step).
     */
    private static Decision beginRename(DirState s, RenameIntent i, long now) {
        if (s.intents.containsKey(i.txid())) {
            return Decision.of(true);
        }
        Dentry d = s.entries.get(i.srcName());
        if (d == null || d.ino() != i.child()) {
            throw FsException.of(Errno.EAGAIN, "%s no longer names inode %d", i.srcName(), i.child());
        }
        if (d.isDir()) {
            for (RenameIntent other : s.intents.values()) {
                if (other.child() == i.child()) {
                    throw FsException.of(Errno.EBUSY, "directory %d is already being renamed", i.child());
                }
            }
        }
        List<DirEvent> events = new ArrayList<>(3);
        events.add(new DirEvent.IntentAdded(i.withMoved(d)));
        events.add(new DirEvent.DentryRemoved(i.srcName(), now));
        InodeRec moved = !d.isDir() && d.home() == s.ino ? s.homed.get(d.ino()) : null;
        if (moved != null) {
            Attr a = moved.attr;
            events.add(new DirEvent.AttrSet(a.withTimes(a.atimeNs(), a.mtimeNs(), now)));
        }
        return new Decision(events, true);
    }

    private static Replies.RenameOutcome renameOutcome(DirState s, long txid) {
        if (s.intents.containsKey(txid)) {
            return new Replies.RenameOutcome(txid, Replies.RenameState.PENDING);
        }
        DirEvent.IntentClosed closed = s.closed.of(txid);
        if (closed == null) {
            return new Replies.RenameOutcome(txid, Replies.RenameState.UNKNOWN);
        }
        return new Replies.RenameOutcome(txid, closed.removeName() ? Replies.RenameState.DONE
                : Replies.RenameState.UNDONE);
    }

    /** Rename last step: done (drop the intent) or undone (drop it and put the source name back). */
    private static Decision closeRename(DirState s, DirCommand.CloseDirRename cmd, long now) {
        RenameIntent i = s.intents.get(cmd.txid());
        if (i == null) {
            return Decision.of(false);
        }
        DirEvent closed = new DirEvent.IntentClosed(cmd.txid(), cmd.removeName(), now);
        if (cmd.removeName() || s.entries.containsKey(i.srcName())) {
            return Decision.of(true, closed);
        }
        return Decision.of(true, closed, new DirEvent.DentrySet(i.srcName(), i.moved(), now));
    }

    /**
     * The source name of a pending rename is reserved until the rename is closed: an undo must be able to put it
     * back. EBUSY meanwhile (milliseconds, or until the source directory re-drives a crashed rename).
     */
    private static void checkNotReserved(DirState s, String name) {
        if (s.intents.isEmpty()) {
            return;
        }
        for (RenameIntent i : s.intents.values()) {
            if (i.srcName().equals(name)) {
                throw FsException.of(Errno.EBUSY, "%s is being renamed (rename %d pending)", name, i.txid());
            }
        }
    }

    private static Decision initDir(DirState s, DirCommand.InitDir cmd, long now) {
        if (s.initialized) {
            if (s.removed) {
                throw FsException.of(Errno.ENOENT, "directory %d was removed", s.ino);
            }
            return Decision.of(s.dirAttr());
        }
        Attr a = new Attr(s.ino, FileType.DIRECTORY, cmd.mode() & 07777, 2, cmd.uid(), cmd.gid(), 0, now, now, now);
        return Decision.of(a, new DirEvent.Initialized(cmd.parent(), a));
    }

    private static Decision create(DirState s, DirCommand.CreateInode cmd, long now) {
        Dentry existing = s.entries.get(cmd.name());
        if (existing != null) {
            if (existing.ino() == cmd.ino()) {
                return Decision.of(entry(s, existing));
            }
            if (cmd.exclusive() || cmd.type() == FileType.SYMLINK) {
                throw FsException.of(Errno.EEXIST, "%s exists", cmd.name());
            }
            if (existing.isDir()) {
                throw FsException.of(Errno.EISDIR, "%s is a directory", cmd.name());
            }
            return Decision.of(entry(s, existing));
        }
        checkCanAdd(s, cmd.name());
        int mode = cmd.type() == FileType.SYMLINK ? 0777 : cmd.mode() & 07777;
        long size = cmd.target() == null ? 0 : cmd.target().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        long rdev = cmd.type().isDevice() ? cmd.rdev() : 0;
        Attr a = new Attr(cmd.ino(), cmd.type(), mode, 1, cmd.uid(), cmd.gid(), size, now, now, now, rdev);
        Dentry d = new Dentry(cmd.ino(), cmd.type(), s.ino);
        return Decision.of(new Replies.Entry(d, a), new DirEvent.InodeAdded(a, cmd.target()),
                new DirEvent.DentrySet(cmd.name(), d, now));
    }

    private static Decision addName(DirState s, String name, Dentry d, long now) {
        Dentry existing = s.entries.get(name);
        if (existing != null && existing.ino() == d.ino()) {
            return Decision.of(entry(s, existing));
        }
        checkCanAdd(s, name);
        return Decision.of(new Replies.Entry(d, null), new DirEvent.DentrySet(name, d, now));
    }

    private static void checkCanAdd(DirState s, String name) {
        if (s.removing) {
            throw FsException.of(Errno.ENOENT, "directory %d is being removed", s.ino);
        }
        if (s.entries.containsKey(name)) {
            throw FsException.of(Errno.EEXIST, "%s exists", name);
        }
        checkNotReserved(s, name);
    }

    private static Decision unlink(DirState s, DirCommand.Unlink cmd, long now) {
        Dentry d = need(s, cmd.name());
        if (d.isDir()) {
            throw FsException.of(Errno.EISDIR, "%s is a directory", cmd.name());
        }
        List<DirEvent> events = new ArrayList<>(2);
        events.add(new DirEvent.DentryRemoved(cmd.name(), now));
        Removal removal = null;
        if (d.home() == s.ino) {
            removal = dropLink(s, d.ino(), now, events);
        }
        return new Decision(events, new Replies.Unlinked(d, removal));
    }

    /** nlink-- of a homed inode; null when the inode is not homed here (already gone). */
    private static Removal dropLink(DirState s, long ino, long now, List<DirEvent> events) {
        InodeRec rec = s.homed.get(ino);
        if (rec == null) {
            return null;
        }
        Attr a = rec.attr;
        int n = Math.max(0, a.nlink() - 1);
        events.add(new DirEvent.LinkAdjusted(ino, -1, now));
        return new Removal(new InodeRef(ino, s.ino), a.withNlink(n).withTimes(a.atimeNs(), a.mtimeNs(), now), n == 0);
    }

    private static void checkReplace(Dentry src, Dentry victim, String name) {
        if (victim == null) {
            return;
        }
        if (src.isDir() && !victim.isDir()) {
            throw FsException.of(Errno.ENOTDIR, "%s is not a directory", name);
        }
        if (!src.isDir() && victim.isDir()) {
            throw FsException.of(Errno.EISDIR, "%s is a directory", name);
        }
    }

    private static Dentry checkVictim(DirState s, String name, long expectedVictim) {
        Dentry victim = s.entries.get(name);
        long actual = victim == null ? 0 : victim.ino();
        if (actual != expectedVictim) {
            throw FsException.of(Errno.EAGAIN, "%s changed concurrently (expected %d, found %d)", name,
                    expectedVictim, actual);
        }
        return victim;
    }

    private static Decision put(DirState s, DirCommand.PutDentry cmd, long now) {
        Dentry existing = s.entries.get(cmd.name());
        if (existing != null && existing.ino() == cmd.dentry().ino()) {
            return Decision.of(new Replies.Replaced(null, null));
        }
        if (s.removing) {
            throw FsException.of(Errno.ENOENT, "directory %d is being removed", s.ino);
        }
        checkNotReserved(s, cmd.name());
        Dentry victim = checkVictim(s, cmd.name(), cmd.victim());
        checkReplace(cmd.dentry(), victim, cmd.name());
        List<DirEvent> events = new ArrayList<>(2);
        events.add(new DirEvent.DentrySet(cmd.name(), cmd.dentry(), now));
        Removal removal = victim != null && !victim.isDir() && victim.home() == s.ino ? dropLink(s, victim.ino(), now, events) : null;
        return new Decision(events, new Replies.Replaced(victim, removal));
    }

    private static Decision renameLocal(DirState s, DirCommand.RenameLocal cmd, long now) {
        Dentry src = s.entries.get(cmd.srcName());
        if (src == null || src.ino() != cmd.src()) {
            throw FsException.of(Errno.EAGAIN, "%s changed concurrently", cmd.srcName());
        }
        Dentry victim = checkVictim(s, cmd.dstName(), cmd.victim());
        if (victim != null && victim.ino() == src.ino()) {
            return Decision.of(new Replies.Replaced(null, null));
        }
        checkNotReserved(s, cmd.dstName());
        checkReplace(src, victim, cmd.dstName());
        List<DirEvent> events = new ArrayList<>(4);
        events.add(new DirEvent.DentryRemoved(cmd.srcName(), now));
        events.add(new DirEvent.DentrySet(cmd.dstName(), src, now));
        InodeRec moved = src.home() == s.ino && !src.isDir() ? s.homed.get(src.ino()) : null;
        if (moved != null) {
            Attr a = moved.attr;
            events.add(new DirEvent.AttrSet(a.withTimes(a.atimeNs(), a.mtimeNs(), now)));
        }
        Removal removal = victim != null && !victim.isDir() && victim.home() == s.ino ? dropLink(s, victim.ino(), now, events) : null;
        return new Decision(events, new Replies.Replaced(victim, removal));
    }

    private static Decision setAttrs(DirState s, DirCommand.SetAttrs cmd, long now) {
        InodeRec rec = inodeOrFail(s, cmd.ino());
        Attr a = cmd.ino() == s.ino ? s.dirAttr() : rec.attr;
        SetAttr ch = cmd.change();
        if (ch.size() != null) {
            if (a.type() == FileType.DIRECTORY) {
                throw FsException.of(Errno.EISDIR, "cannot set the size of directory %d", cmd.ino());
            }
            if (ch.size() < 0) {
                throw FsException.of(Errno.EINVAL, "negative size %d", ch.size());
            }
            a = a.withSize(ch.size()).withTimes(a.atimeNs(), now, a.ctimeNs());
        }
        if (ch.mode() != null) {
            a = a.withMode(ch.mode() & 07777);
        }
        if (ch.uid() != null || ch.gid() != null) {
            a = a.withOwner(ch.uid() != null ? ch.uid() : a.uid(), ch.gid() != null ? ch.gid() : a.gid());
        }
        long atime = ch.atimeNs() == null ? a.atimeNs() : ch.atimeNs() == SetAttr.NOW ? now : ch.atimeNs();
        long mtime = ch.mtimeNs() == null ? a.mtimeNs() : ch.mtimeNs() == SetAttr.NOW ? now : ch.mtimeNs();
        a = a.withTimes(atime, mtime, now);
        return Decision.of(a, new DirEvent.AttrSet(a));
    }

    private static List<DirEntry> readdir(DirState s, DirCommand.Readdir cmd) {
        var view = cmd.after() == null ? s.entries : s.entries.tailMap(cmd.after(), false);
        int max = Math.max(0, cmd.max());
        // not view.size(): a TreeMap view counts its entries one by one (a 1M-entry directory paid O(n) per page)
        List<DirEntry> out = new ArrayList<>(Math.min(max, 1024));
        for (Map.Entry<String, Dentry> e : view.entrySet()) {
            if (out.size() >= max) {
                break;
            }
            out.add(new DirEntry(e.getKey(), e.getValue().ino(), e.getValue().type()));
        }
        return out;
    }

    private static Dentry need(DirState s, String name) {
        Dentry d = s.entries.get(name);
        if (d == null) { // the expected answer of a negative lookup: no String.format (and no stack trace)
            throw new FsException(Errno.ENOENT, name + " not found in directory " + s.ino);
        }
        return d;
    }

    private static Replies.Entry entry(DirState s, Dentry d) {
        InodeRec rec = d.home() == s.ino && !d.isDir() ? s.homed.get(d.ino()) : null;
        return new Replies.Entry(d, rec == null ? null : rec.attr);
    }

    private static Attr attrOf(DirState s, long ino) {
        if (ino == s.ino) {
            return s.dirAttr();
        }
        return homedOrFail(s, ino).attr;
    }

    private static InodeRec inodeOrFail(DirState s, long ino) {
        InodeRec rec = s.inode(ino);
        if (rec == null) {
            throw FsException.of(Errno.ENOENT, "inode %d not found in directory %d", ino, s.ino);
        }
        return rec;
    }

    private static InodeRec homedOrFail(DirState s, long ino) {
        InodeRec rec = s.homed.get(ino);
        if (rec == null) {
            if (ino == s.ino) {
                throw FsException.of(Errno.EPERM, "inode %d is a directory", ino);
            }
            throw FsException.of(Errno.ENOENT, "inode %d not found in directory %d", ino, s.ino);
        }
        return rec;
    }

    private static void checkXattrName(String name) {
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > XATTR_NAME_MAX) {
            throw FsException.of(Errno.ERANGE, "bad xattr name length");
        }
    }

    /** The page of homed inodes above {@code after}: a bounded selection, so a page costs O(homed * log max). */
    private static List<Attr> listHomed(DirState s, DirCommand.ListHomed cmd) {
        int max = Math.max(0, cmd.max());
        java.util.PriorityQueue<Long> lowest = new java.util.PriorityQueue<>(java.util.Comparator.reverseOrder());
        for (long ino : s.homed.keySet()) {
            if (ino > cmd.after() && max > 0) {
                if (lowest.size() < max) {
                    lowest.add(ino);
                } else if (ino < lowest.peek()) {
                    lowest.poll();
                    lowest.add(ino);
                }
            }
        }
        List<Long> inos = new ArrayList<>(lowest);
        inos.sort(null);
        List<Attr> out = new ArrayList<>(inos.size());
        for (long ino : inos) {
            out.add(s.homed.get(ino).attr);
        }
        return out;
    }
}
