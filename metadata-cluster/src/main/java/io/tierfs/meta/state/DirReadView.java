package io.tierfs.meta.state;

import java.util.List;
import java.util.concurrent.locks.StampedLock;

/**
 * The live state of one directory entity, readable from other threads of the same JVM: a lookup or getattr by a
 * client on the entity's node is answered in the client's own thread instead of by an ask to the entity (a
 * mailbox, a dispatcher wake-up and a reply: ~20 µs of CPU and two thread hand-offs per stat).
 * <p>
 * Why it is linearizable: the owner (the entity, the ONLY writer: its actor, or a client thread deciding inline
 * under the entity's decision lock) applies each command's events to the state under the write lock before it
 * replies to anybody, and a reader answers from the same state under the
 * read lock. A read thus takes effect at one instant between two commands: it sees every command whose events
 * were applied before, in particular every one already acknowledged to any client (its events were applied before
 * its reply was sent), and no half of a command (a rename inside the directory moves its name atomically for
 * readers too). Which incarnation is authoritative is the caller's business (the node-local registry: a view is
 * only read while its entity is registered and not stopping).
 * <p>
 * Why a lock and not lock-free reads: the state's maps are plain TreeMap/HashMap (the owner's decisions and the
 * journal copy's replay stay as fast as before, and a million-name directory costs no extra memory); reading them
 * unlocked during a rotation could loop. The lock is held for microseconds on either side; contended read locks
 * (many readers of one directory) cost a shared-counter update, far less than the actor hop they replace.
 * <p>
 * Only commands that read nothing but the state are served: {@link #serves}.
 */
public final class DirReadView {
    private final StampedLock lock = new StampedLock();
    private final DirState state;

    public DirReadView(DirState state) {
        this.state = state;
    }

    /** The state the owner decides against (under the owner's lock; it must change it only via {@link #apply}). */
    public DirState state() {
        return state;
    }

    /** Applies one command's events as one step for readers. Owner only (under its decision lock). */
    public void apply(List<DirEvent> events) {
        long stamp = lock.writeLock();
        try {
            for (DirEvent e : events) {
                state.apply(e);
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** True for the read-only commands {@link #read} answers. */
    public static boolean serves(DirCommand cmd) {
        return cmd instanceof DirCommand.Lookup || cmd instanceof DirCommand.GetAttr
                || cmd instanceof DirCommand.GetParent || cmd instanceof DirCommand.ReadLink;
    }

    /**
     * The reply of a read-only command ({@link #serves} must be true), exactly as the entity would give it now;
     * throws the entity's {@link io.tierfs.common.FsException} (ENOENT...). Any thread.
     */
    public Object read(DirCommand cmd) {
        long stamp = lock.readLock();
        try {
            return DirLogic.decide(state, cmd, 0).reply();
        } finally {
            lock.unlockRead(stamp);
        }
    }
}
