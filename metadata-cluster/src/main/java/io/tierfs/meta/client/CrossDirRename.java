package io.tierfs.meta.client;

import io.tierfs.common.Caller;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.SetAttr;
import io.tierfs.common.fault.FaultPoints;
import io.tierfs.meta.api.Removal;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.RenameIntent;
import io.tierfs.meta.state.RenameLease.LockAnswer;
import io.tierfs.meta.state.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A rename whose source and target directories differ (two entities, maybe on two nodes), made atomic under a
 * crash of the coordinator (this client), of the source's node or of the target's node: it ends fully done or
 * fully undone, with nlink right and a replaced victim removed exactly when the rename is done.
 * <p>
 * Steps (each one synchronous, i.e. durable before the next starts, and idempotent):
 * <ol>
 * <li>directories only: take the cluster-wide rename lock as this rename, check that the target is not inside the
 *     moved subtree;</li>
 * <li>source: {@link DirCommand.BeginDirRename} persists the {@link RenameIntent} and removes the source name in
 *     ONE write. This is the point of no return: from here the rename is rolled forward; the moved inode stays
 *     homed where it is and its nlink does not change (the intent holds the name in flight);</li>
 * <li>a directory victim is marked "removing" (ENOTEMPTY unless empty);</li>
 * <li>target: {@link DirCommand.PutDentry} sets the name, replacing the victim it expects (a file victim homed
 *     there loses its link in the same write); repeating it finds the name already set and does nothing;</li>
 * <li>victim: a directory is marked removed; a file homed elsewhere gets nlink-1 with the txid as idempotency
 *     token ({@link DirCommand.AdjustLink}), so a repeat does nothing;</li>
 * <li>a moved directory's parent pointer becomes the target ({@link DirCommand.SetParent}); a moved file homed
 *     neither in the source (done in step 2) gets its ctime at its home;</li>
 * <li>source: {@link DirCommand.CloseDirRename} drops the intent (a no-op once closed); directories: release the
 *     lock.</li>
 * </ol>
 * Undo: only when the target refuses the name for good (victim changed: EAGAIN, victim not empty, target removed,
 * or a re-drive's cycle check fails) before step 4 took effect: the close puts the source name back (the source
 * refuses the reserved name to everybody else while the intent is pending: EBUSY). Timeouts are never taken for a
 * refusal: the intent stays pending.
 * <p>
 * Crash recovery: the intent is in the source directory's journal. Whoever drives it ({@link #redrive}) repeats
 * the steps from step 3 and asks the target first whether step 4 already happened. Drivers: the coordinator;
 * the source entity at recovery (a crash of its node); the source entity when an intent stayed open longer than
 * {@code tierfs.meta.intent-timeout} (a dead coordinator, entities alive); a client that waits for the lock of a
 * crashed holder whose lease expired. Several drivers at once are harmless (every step is idempotent), and a
 * driver stops before a step once it has been at it for {@link RenameSettings#handOver()} (half the intent
 * timeout), so that in practice a stalled coordinator does not overlap the re-drive that replaces it.
 * <p>
 * The caller's answer: a coordinator that handed its rename over, or lost a step's answer, after its begin did not
 * see the end of the rename, but its caller must: it asks the source directory for the outcome of its txid
 * ({@link DirCommand.RenameOutcome}, remembered there for ten minutes after the close) until
 * {@link RenameSettings#outcomeWait()} and answers done, or EAGAIN when the re-drive undid the rename (the
 * namespace then starts the rename again from its lookups and meets the refusal itself). ETIMEDOUT only when the
 * rename is still pending at that deadline. A failover that stalls the coordinator longer than the hand-over time
 * thus delays the answer, not falsifies it.
 * <p>
 * No cycles: a directory rename changes the tree's shape in steps 4 and 6 (name, then parent pointer), and checks
 * "target not inside the moved subtree" by walking parent pointers from the target up to the root. Every
 * directory rename across directories holds the lock from before its check until after its close, and the lock
 * is never granted to another rename while a holder's intent is pending (a waiter that finds an expired holder
 * first asks the holder's source directory: pending means re-drive it, only a holder that is not pending may be
 * taken over). So the check-name-pointer sequences of two directory renames never interleave, each starts from
 * a tree without cycles and with exact parent pointers (a pending one's pointer is fixed by its own driver
 * before the lock goes to anybody else), and each keeps the tree without cycles. A re-drive also holds the lock
 * (as the same rename) and repeats the check before step 4: if the tree changed so that the rename would now make
 * a cycle (possible only after a lease expired under a stalled holder), it undoes the rename instead (EINVAL).
 * Renames inside one directory and file renames never change a parent pointer and need no lock.
 * <p>
 * Timing assumptions (as for any lease): a holder's steps, and the delivery of a step's message, take much less
 * than the lease and the hand-over time; clocks of the nodes agree to well within the lease.
 * <p>
 * Fault points ({@link FaultPoints}) between the steps: {@link #AFTER_LOCK}, {@link #AFTER_INTENT},
 * {@link #AFTER_VICTIM_MARKED}, {@link #AFTER_PUT}, {@link #AFTER_VICTIM}, {@link #AFTER_PARENT},
 * {@link #AFTER_CTIME}, {@link #AFTER_CLOSE}; the directory entity adds {@code dir.persisted.intent-added} after its
 * journal writes.
 * <p>
 * Not covered: a victim whose last link a re-drive dropped is not reported to anybody (its data chunks are left
 * to orphan collection); a source directory whose node crashed re-drives when it is next started (any request
 * to it, e.g. a lookup or a waiter for the lock), not at the restart of the node.
 */
public final class CrossDirRename {
    private static final Logger LOG = LoggerFactory.getLogger(CrossDirRename.class);

    /** Directory renames: the lock is held, nothing persisted yet. */
    public static final String AFTER_LOCK = "rename.after-lock";
    /** The intent is persisted in the source (and the source name removed). */
    public static final String AFTER_INTENT = "rename.after-intent";
    /** A directory victim is marked removing. */
    public static final String AFTER_VICTIM_MARKED = "rename.after-victim-marked";
    /** The target name is set. */
    public static final String AFTER_PUT = "rename.after-put";
    /** The victim is removed (directory) or unlinked (file). */
    public static final String AFTER_VICTIM = "rename.after-victim";
    /** A moved directory's parent pointer is set. */
    public static final String AFTER_PARENT = "rename.after-parent";
    /** A moved file homed outside the source got its ctime at its home. */
    public static final String AFTER_CTIME = "rename.after-ctime";
    /** The intent is closed (directories: the lock is not released yet). */
    public static final String AFTER_CLOSE = "rename.after-close";
    /** Every coordinator-side point, in step order. */
    public static final List<String> POINTS = List.of(AFTER_LOCK, AFTER_INTENT, AFTER_VICTIM_MARKED, AFTER_PUT,
            AFTER_VICTIM, AFTER_PARENT, AFTER_CTIME, AFTER_CLOSE);

    private static final SetAttr TOUCH = new SetAttr(null, null, null, null, null, null);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_OUTCOME_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final DirGateway gw;
    private final RenameSettings settings;

    public CrossDirRename(DirGateway gw, RenameSettings settings) {
        this.gw = gw;
        this.settings = settings;
    }

    /**
     * Coordinates a rename that the caller looked up: {@code src} is named {@code srcName} in {@code srcDir},
     * {@code victim} (or null) is named {@code dstName} in {@code dstDir}; {@code txid} is a fresh unique id.
     *
     * @return the victim's removal when its last link went, else null
     */
    public Removal run(long txid, long srcDir, String srcName, Dentry src, long dstDir, String dstName,
                       Dentry victim) {
        Driver d = new Driver(srcDir, RenameIntent.of(txid, srcName, src, dstDir, dstName, victim));
        if (!src.isDir()) {
            d.begin();
            return d.finish();
        }
        long leaseStart = lockFor(txid, srcDir);
        try {
            FaultPoints.hit(AFTER_LOCK);
            checkNotInSubtree(src.ino(), dstDir);
            if (System.nanoTime() - leaseStart > settings.lease().toNanos() / 2) {
                throw FsException.of(Errno.EAGAIN, "rename %d: half the rename lock's lease passed before its intent",
                        txid);
            }
            d.begin();
            return d.finish();
        } finally {
            if (!d.begun || d.closed) {
                release(txid);
            }
        }
    }

    /**
     * Drives (or re-drives) a persisted intent of directory {@code srcDir} to its end; harmless when the intent is
     * no longer pending or another driver is at it. Throws when the rename was undone (the errno says why) or
     * when a step failed for now (the intent stays pending).
     */
    public void redrive(long srcDir, RenameIntent intent) {
        Driver d = new Driver(srcDir, intent);
        d.begun = true;
        if (!intent.movesDirectory()) {
            if (pending(srcDir, intent.txid()) != null) {
                d.steps(true);
            }
            return;
        }
        lockFor(intent.txid(), srcDir);
        try {
            if (pending(srcDir, intent.txid()) == null) {
                d.closed = true;
                return;
            }
            d.steps(true);
        } finally {
            if (d.closed) {
                release(intent.txid());
            }
        }
    }

    /** The steps of one rename, as one driver sees them. */
    private final class Driver {
        private final long srcDir;
        private final RenameIntent i;
        /** When this driver began driving the intent (its begin, or its first step of a re-drive). */
        private long startNanos;
        private boolean started;
        /** The intent may be persisted (the begin succeeded or its answer was lost). */
        private boolean begun;
        /** This driver closed the intent (done or undone), or learned that the re-drive closed it. */
        private boolean closed;

        Driver(long srcDir, RenameIntent i) {
            this.srcDir = srcDir;
            this.i = i;
        }

        private void start() {
            if (!started) {
                started = true;
                startNanos = System.nanoTime();
            }
        }

        void begin() {
            start();
            try {
                gw.ask(srcDir, new DirCommand.BeginDirRename(i));
            } catch (FsException e) {
                begun = retryable(e);
                throw e;
            }
            begun = true;
            FaultPoints.hit(AFTER_INTENT);
        }

        /**
         * The coordinator's steps 3 to 7 after its begin. When they stop without an answer for good (this driver
         * handed the rename over to the re-drive, or a step's answer was lost), the rename is not over: the intent
         * is pending and its re-drive ends it. The caller gets that end, asked of the source directory by txid
         * until {@link RenameSettings#outcomeWait()}: done (null: a victim whose last link the re-drive dropped is
         * left to orphan collection), or EAGAIN when undone (the caller starts the rename again and meets the
         * refusal itself). ETIMEDOUT only when the rename is still pending at the deadline.
         */
        Removal finish() {
            try {
                return steps(false);
            } catch (FsException e) {
                if (closed || !retryable(e)) {
                    throw e;
                }
                awaitOutcome(e);
                return null;
            }
        }

        /** Returns when the rename is done; throws EAGAIN when it was undone, ETIMEDOUT when still pending. */
        private void awaitOutcome(FsException cause) {
            long start = System.nanoTime();
            long deadline = start + settings.outcomeWait().toNanos();
            long backoff = TimeUnit.MILLISECONDS.toNanos(10);
            Replies.RenameState last = null;
            LOG.info("rename {} of {} in directory {}: {}; waiting for its outcome", i.txid(), i.srcName(), srcDir,
                    cause.getMessage());
            while (true) {
                try {
                    last = outcome();
                } catch (FsException e) {
                    if (!retryable(e)) {
                        e.addSuppressed(cause);
                        throw e;
                    }
                    last = null;    // the source directory is moving: ask again
                }
                if (last == Replies.RenameState.DONE) {
                    closed = true;   // the re-drive closed it (and released a directory rename's lock)
                    LOG.info("rename {}: done by the re-drive after {} ms of waiting", i.txid(),
                            (System.nanoTime() - start) / 1_000_000);
                    return;
                }
                if (last == Replies.RenameState.UNDONE) {
                    closed = true;
                    throw FsException.of(Errno.EAGAIN, "rename %d of %s in directory %d was undone by its re-drive",
                            i.txid(), i.srcName(), srcDir);
                }
                if (System.nanoTime() - deadline > 0) {
                    FsException e = FsException.of(Errno.ETIMEDOUT, "rename %d of %s in directory %d: still %s "
                            + "after waiting %s for its re-drive", i.txid(), i.srcName(), srcDir,
                            last == null ? "unanswered" : last.name().toLowerCase(java.util.Locale.ROOT),
                            settings.outcomeWait());
                    e.addSuppressed(cause);
                    throw e;
                }
                LockSupport.parkNanos(Math.min(backoff, Math.max(0, deadline - System.nanoTime())));
                backoff = Math.min(backoff * 2, MAX_OUTCOME_BACKOFF_NANOS);
            }
        }

        /**
         * The source directory's answer; UNKNOWN (closed too long ago, or by a journal older than the outcome
         * table) is settled by the names: the moved inode at the target means done, at the source undone.
         */
        private Replies.RenameState outcome() {
            Replies.RenameOutcome o = (Replies.RenameOutcome) gw.ask(srcDir,
                    new DirCommand.RenameOutcome(i.txid()));
            if (o.state() != Replies.RenameState.UNKNOWN) {
                return o.state();
            }
            if (named(i.dstDir(), i.dstName())) {
                return Replies.RenameState.DONE;
            }
            if (named(srcDir, i.srcName())) {
                return Replies.RenameState.UNDONE;
            }
            return Replies.RenameState.UNKNOWN;
        }

        /** Whether {@code name} in {@code dir} names the moved inode. */
        private boolean named(long dir, String name) {
            try {
                Replies.Entry e = (Replies.Entry) gw.ask(dir, new DirCommand.Lookup(name));
                return e.dentry().ino() == i.child();
            } catch (FsException e) {
                if (e.errno() == Errno.ENOENT) {
                    return false;
                }
                throw e;
            }
        }

        /** Steps 3 to 7; {@code redrive}: the target name may already be set by an earlier driver. */
        Removal steps(boolean redrive) {
            start();
            Dentry moved = i.moved();
            Dentry victim = i.victimDentry();
            Replies.Replaced put = null;
            if (!(redrive && placed())) {
                if (redrive && moved.isDir()) {
                    try {
                        checkNotInSubtree(moved.ino(), i.dstDir());
                    } catch (FsException e) {
                        undoUnlessRetryable(e, false);
                        throw e;
                    }
                }
                if (victim != null && victim.isDir()) {
                    budget();
                    try {
                        gw.ask(victim.ino(), new DirCommand.MarkRemoving());
                    } catch (FsException e) {
                        undoUnlessRetryable(e, false);
                        throw e;
                    }
                    FaultPoints.hit(AFTER_VICTIM_MARKED);
                }
                budget();
                try {
                    put = (Replies.Replaced) gw.ask(i.dstDir(),
                            new DirCommand.PutDentry(i.dstName(), moved, victim == null ? 0 : victim.ino()));
                } catch (FsException e) {
                    undoUnlessRetryable(e, victim != null && victim.isDir());
                    throw e;
                }
            }
            FaultPoints.hit(AFTER_PUT);
            Removal removal = null;
            if (victim != null) {
                budget();
                removal = finishVictim(victim, put);
                FaultPoints.hit(AFTER_VICTIM);
            }
            if (moved.isDir()) {
                budget();
                gw.ask(moved.ino(), new DirCommand.SetParent(i.dstDir()));
                FaultPoints.hit(AFTER_PARENT);
            } else if (moved.home() != srcDir) {
                budget();
                touch(moved);
                FaultPoints.hit(AFTER_CTIME);
            }
            budget();
            gw.ask(srcDir, new DirCommand.CloseDirRename(i.txid(), true));
            closed = true;
            FaultPoints.hit(AFTER_CLOSE);
            return removal != null && removal.lastLink() ? removal : null;
        }

        /** Whether an earlier driver already set the target name (step 4). */
        private boolean placed() {
            try {
                Replies.Entry e = (Replies.Entry) gw.ask(i.dstDir(), new DirCommand.Lookup(i.dstName()));
                return e.dentry().ino() == i.child();
            } catch (FsException e) {
                if (e.errno() == Errno.ENOENT) {
                    return false;
                }
                throw e;
            }
        }

        /** A refusal undoes the rename (source name back); a timeout or I/O error leaves it pending. */
        private void undoUnlessRetryable(FsException cause, boolean cancelVictimRemoving) {
            if (retryable(cause)) {
                return;
            }
            if (cancelVictimRemoving) {
                gw.ask(i.victim(), new DirCommand.CancelRemoving());
            }
            gw.ask(srcDir, new DirCommand.CloseDirRename(i.txid(), false));
            closed = true;
            LOG.debug("rename {} of {} in directory {} undone: {}", i.txid(), i.srcName(), srcDir, cause.getMessage());
        }

        private Removal finishVictim(Dentry victim, Replies.Replaced put) {
            if (victim.isDir()) {
                gw.ask(victim.ino(), new DirCommand.MarkRemoved());
                return null;
            }
            if (victim.home() == i.dstDir()) {
                return put == null ? null : put.removal();   // dropped in the put's own write
            }
            try {
                return (Removal) gw.ask(victim.home(), new DirCommand.AdjustLink(victim.ino(), -1, i.txid()));
            } catch (FsException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
                LOG.info("rename {}: victim {} already gone from its home {}: {}", i.txid(), victim.ino(),
                        victim.home(), e.getMessage());
                return new Removal(new InodeRef(victim.ino(), victim.home()), null, true);
            }
        }

        private void touch(Dentry moved) {
            try {
                gw.ask(moved.home(), new DirCommand.SetAttrs(moved.ino(), TOUCH, Caller.ROOT));
            } catch (FsException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
                LOG.warn("rename {}: moved inode {} not found at its home {} for its ctime: {}", i.txid(),
                        moved.ino(), moved.home(), e.getMessage());
            }
        }

        /** Gives the rest to the source directory's re-drive once this driver is past its hand-over time. */
        private void budget() {
            if (System.nanoTime() - startNanos > settings.handOver().toNanos()) {
                throw FsException.of(Errno.ETIMEDOUT, "rename %d of %s in directory %d: driving it took longer than "
                        + "%s, left to the re-drive of the source directory", i.txid(), i.srcName(), srcDir,
                        settings.handOver());
            }
        }
    }

    /**
     * Takes the rename lock as rename {@code txid}; returns System.nanoTime() from before the granting request.
     * A holder with an expired lease is re-driven when its intent is pending (its source directory knows), else
     * taken over; a waiter also wakes the holder's source directory once, whose recovery re-drives a crashed
     * holder without waiting for the lease.
     */
    private long lockFor(long txid, long srcDir) {
        long deadline = System.nanoTime() + settings.lockWait().toNanos();
        long backoff = TimeUnit.MILLISECONDS.toNanos(1);
        long takeOver = 0;
        boolean poked = false;
        while (true) {
            long sent = System.nanoTime();
            LockAnswer a = settings.lock().acquire(txid, srcDir, takeOver, settings.lease());
            if (a.granted()) {
                return sent;
            }
            if (System.nanoTime() - deadline > 0) {
                throw FsException.of(Errno.ETIMEDOUT, "rename %d: the rename lock stayed with rename %d of "
                        + "directory %d for %s", txid, a.holder(), a.holderSrcDir(), settings.lockWait());
            }
            takeOver = 0;
            if (a.expired() || !poked) {
                poked = true;
                RenameIntent held = pending(a.holderSrcDir(), a.holder());
                if (a.expired()) {
                    if (held == null) {
                        LOG.info("rename {}: taking over the rename lock from rename {} (lease expired, no intent "
                                + "pending in directory {})", txid, a.holder(), a.holderSrcDir());
                        takeOver = a.holder();
                    } else {
                        LOG.info("rename {}: re-driving rename {} of directory {}, which holds the rename lock with "
                                + "an expired lease", txid, a.holder(), a.holderSrcDir());
                        try {
                            redrive(a.holderSrcDir(), held);
                            continue;
                        } catch (FsException e) {
                            LOG.warn("rename {}: re-drive of rename {} ended with {}", txid, a.holder(),
                                    e.getMessage());
                        }
                    }
                    if (takeOver != 0) {
                        continue;
                    }
                }
            }
            LockSupport.parkNanos(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
        }
    }

    private void release(long txid) {
        try {
            settings.lock().release(txid);
        } catch (FsException e) {
            LOG.warn("rename {}: could not release the rename lock ({}); its lease expires by itself", txid,
                    e.getMessage());
        }
    }

    /** The intent {@code txid} if directory {@code dir} still has it pending, else null (also when dir is gone). */
    @SuppressWarnings("unchecked")
    private RenameIntent pending(long dir, long txid) {
        List<RenameIntent> intents;
        try {
            intents = (List<RenameIntent>) gw.ask(dir, new DirCommand.PendingIntents());
        } catch (FsException e) {
            if (e.errno() == Errno.ENOENT) {
                return null;
            }
            throw e;
        }
        for (RenameIntent i : intents) {
            if (i.txid() == txid) {
                return i;
            }
        }
        return null;
    }

    /** EINVAL when {@code dir} is {@code moved} or below it: walks parent pointers from dir up to the root. */
    void checkNotInSubtree(long moved, long dir) {
        long cur = dir;
        for (int depth = 0; depth < 100_000; depth++) {
            if (cur == moved) {
                throw FsException.of(Errno.EINVAL, "cannot move directory %d into its own subtree", moved);
            }
            if (cur == InodeRef.ROOT_INO) {
                return;
            }
            cur = (Long) gw.ask(cur, new DirCommand.GetParent());
        }
        throw FsException.of(Errno.ELOOP, "parent chain of %d too deep", dir);
    }

    private static boolean retryable(FsException e) {
        return e.errno() == Errno.ETIMEDOUT || e.errno() == Errno.EIO;
    }
}
