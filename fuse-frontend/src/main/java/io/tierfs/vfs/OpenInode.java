package io.tierfs.vfs;

import io.tierfs.common.Attr;
import io.tierfs.common.InodeRef;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one inode shared by all its open handles: the size writers reached (ahead of the namespace, which
 * only learns it on flush, fsync and close so that writes cost no metadata round trip), the mtime of the last
 * write, whether writes are unflushed, and whether the inode lost its last name while open (its data is freed at
 * the last release).
 */
final class OpenInode {
    private final InodeRef ref;
    private final AtomicLong size;
    private final AtomicLong writeSeq = new AtomicLong();
    private volatile long mtimeNs;
    private long flushedSeq;          // guarded by this
    private int handles;              // guarded by OpenFiles (map compute)
    private volatile Attr unlinkedAttr; // non-null once the inode has no name left

    OpenInode(InodeRef ref, long size) {
        this.ref = ref;
        this.size = new AtomicLong(size);
    }

    InodeRef ref() {
        return ref;
    }

    long size() {
        return size.get();
    }

    /** A write ending at {@code end} happened at {@code nowNs}. */
    void written(long end, long nowNs) {
        size.accumulateAndGet(end, Math::max);
        mtimeNs = nowNs;
        writeSeq.incrementAndGet();
    }

    /**
     * The namespace records {@code recorded} (another member's writers flushed a larger end): the open state grows to
     * it, never shrinks. Returns the size now.
     */
    long sawRecordedSize(long recorded) {
        return size.accumulateAndGet(recorded, Math::max);
    }

    /** Sets the size exactly (truncate); the namespace has already recorded it. */
    void truncated(long newSize) {
        size.set(newSize);
    }

    boolean dirty() {
        synchronized (this) {
            return writeSeq.get() != flushedSeq;
        }
    }

    long mtimeNs() {
        return mtimeNs;
    }

    /** What a flush must record, or null when nothing was written since the last flush. */
    synchronized Pending pending() {
        long seq = writeSeq.get();
        if (seq == flushedSeq) {
            return null;
        }
        return new Pending(seq, size.get(), mtimeNs);
    }

    synchronized void flushed(long seq) {
        if (seq > flushedSeq) {
            flushedSeq = seq;
        }
    }

    /** Forget unflushed times (an explicit utimens/setattr just overrode them). */
    synchronized void markClean() {
        flushedSeq = writeSeq.get();
    }

    int handles() {
        return handles;
    }

    void addHandle() {
        handles++;
    }

    int dropHandle() {
        return --handles;
    }

    boolean unlinked() {
        return unlinkedAttr != null;
    }

    Attr unlinkedAttr() {
        return unlinkedAttr;
    }

    /** Set when libfuse renamed this inode to a hidden name (see HiddenNames). */
    private volatile boolean hiddenByLibfuse;

    void markHidden() {
        hiddenByLibfuse = true;
    }

    boolean hiddenByLibfuse() {
        return hiddenByLibfuse;
    }

    /** The attributes last seen for this inode (at open, at each fstat): what remains when it loses its name elsewhere. */
    private volatile Attr lastSeen;

    void seen(Attr a) {
        lastSeen = a;
    }

    /** The path this inode was last opened (or renamed to) through this mount: how libfuse names it. */
    private volatile String path;

    void openedAs(String p) {
        path = p;
    }

    String path() {
        return path;
    }

    Attr lastSeen() {
        return lastSeen;
    }

    void markUnlinked(Attr lastAttr) {
        this.unlinkedAttr = lastAttr.withNlink(0);
    }

    /** A truncate of a nameless inode: only this state knows its attributes now. */
    void truncatedUnlinked(long newSize, long nowNs) {
        Attr a = unlinkedAttr;
        size.set(newSize);
        unlinkedAttr = a.withSize(newSize).withTimes(a.atimeNs(), nowNs, nowNs);
    }

    /** Attributes with the open overlay: the larger size, and the write mtime while writes are unflushed. */
    Attr overlay(Attr recorded) {
        long s = Math.max(recorded.size(), size.get());
        Attr a = s == recorded.size() ? recorded : recorded.withSize(s);
        if (dirty()) {
            long m = mtimeNs;
            a = a.withTimes(a.atimeNs(), m, Math.max(a.ctimeNs(), m));
        }
        return a;
    }

    /** A flush to do: the write sequence it covers, the size and the mtime. */
    record Pending(long seq, long size, long mtimeNs) {
    }
}
