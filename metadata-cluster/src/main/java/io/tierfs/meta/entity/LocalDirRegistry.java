package io.tierfs.meta.entity;

import io.tierfs.common.FsException;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.DirReadView;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The directory entities ({@link DirFront}) that live on THIS node, by inode, so that a local client can tell them
 * directly (one actor hop) instead of going through the ShardRegion and Shard actors (three hops, each a thread
 * wake-up on a busy 2-core machine). Cluster Sharding stays the source of truth: an entity is here only while it
 * runs on this node; a client falls back to sharding when a directory is absent (first touch, passivated, moved).
 * <p>
 * Why the in-flight count: a message told to an actor that already stopped is lost (the ask would time out).
 * A stopping front first {@link Entry#close() closes} its entry (no new sender gets it), then waits until no
 * sender is between {@link #acquire} and {@link #release} (so every message sent through the fast path is in its
 * mailbox), then processes its mailbox to the end before it stops. Thread-safe.
 */
public final class LocalDirRegistry {

    /**
     * How a running entity decides an early command in the calling thread (see {@link DirFront}): the reply, or
     * null when the command must be asked of the entity instead.
     */
    @FunctionalInterface
    public interface InlineDecider {
        DirReply decide(DirCommand cmd, RequestId id);
    }

    /** One incarnation of a directory entity: its ref and how many senders are using it (-1 = closed). */
    public static final class Entry {
        private final ActorRef<DirMsg> ref;
        private final ActorRef<ClusterSharding.ShardCommand> shard;
        private final AtomicInteger users = new AtomicInteger();
        /** The entity's live state once it has recovered (null before): local reads use it directly. */
        private volatile DirReadView view;
        /** The entity's inline decisions once it has recovered (null before). */
        private volatile InlineDecider decider;
        /** Set by a local read since the entity's last idle tick (it counts as use: no passivation). */
        private volatile boolean read;

        private Entry(ActorRef<DirMsg> ref, ActorRef<ClusterSharding.ShardCommand> shard) {
            this.ref = ref;
            this.shard = shard;
        }

        public ActorRef<DirMsg> ref() {
            return ref;
        }

        private boolean tryAcquire() {
            while (true) {
                int n = users.get();
                if (n < 0) {
                    return false;
                }
                if (users.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        /** No sender acquires this entry any more; those that did still may finish their send. */
        void close() {
            while (true) {
                int n = users.get();
                if (n < 0 || users.compareAndSet(n, -1 - n)) {
                    return;
                }
            }
        }

        /** Closed and no sender is between acquire and release: every fast-path message is in the mailbox. */
        boolean drained() {
            return users.get() == -1;
        }

        private void release() {
            while (true) {
                int n = users.get();
                if (users.compareAndSet(n, n >= 0 ? n - 1 : n + 1)) {
                    return;
                }
            }
        }

        public boolean closed() {
            return users.get() < 0;
        }

        /**
         * Called by the entity once it has recovered: from now on local clients read its state directly and
         * decide their early commands in their own thread.
         */
        void publish(DirReadView v, InlineDecider d) {
            this.view = v;
            this.decider = d;
        }

        /**
         * The reply of early command {@code cmd}, decided in the caller's thread by the entity's rules, or null:
         * ask the entity. Only between {@link #acquire} and {@link #release}.
         */
        public DirReply decideInline(DirCommand cmd, RequestId id) {
            InlineDecider d = decider;
            if (d == null) {
                return null;
            }
            DirReply reply = d.decide(cmd, id);
            if (reply != null && !read) {
                read = true; // use: no passivation at the next idle tick
            }
            return reply;
        }

        /** Whether a local read used the view since the last call (and resets it). Entity's thread. */
        boolean readSinceLastCheck() {
            if (!read) {
                return false;
            }
            read = false;
            return true;
        }
    }

    /** What {@link #read} returns when the directory's entity does not run (or is stopping) here. */
    public static final Object NOT_HOSTED = new Object();

    /** Where directory fronts publish what they changed; null on a single node (nobody else caches). */
    private volatile io.tierfs.meta.cache.InvalidationBus invalidations;

    /** Makes the fronts of this node publish their changes to other members' caches. */
    public void publishTo(io.tierfs.meta.cache.InvalidationBus bus) {
        this.invalidations = bus;
    }

    /** Called by a directory front after it decided {@code events} for the client at {@code replyTo}. */
    public void changed(long dir, java.util.List<io.tierfs.meta.state.DirEvent> events,
                        org.apache.pekko.actor.typed.ActorRef<?> replyTo) {
        io.tierfs.meta.cache.InvalidationBus bus = invalidations;
        if (bus != null && !events.isEmpty()) {
            bus.publish(dir, io.tierfs.meta.cache.Invalidations.of(dir, events), replyTo.path().address());
        }
    }

    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

    /**
     * Called by a starting front: from now on local clients may tell {@code ref} directly.
     *
     * @param shard the shard that hosts it (for {@link #passivate})
     */
    public Entry register(long ino, ActorRef<DirMsg> ref, ActorRef<ClusterSharding.ShardCommand> shard) {
        Entry e = new Entry(ref, shard);
        entries.put(ino, e);
        return e;
    }

    /** Called by a stopping (or stopped) front; idempotent; never removes a newer incarnation's entry. */
    public void deregister(long ino, Entry e) {
        e.close();
        entries.remove(ino, e);
    }

    /**
     * The live entry of directory {@code ino}, acquired (the caller must {@link #release} it right after its
     * tell), or null: then go through sharding.
     */
    public Entry acquire(long ino) {
        Entry e = entries.get(ino);
        return e != null && e.tryAcquire() ? e : null;
    }

    public void release(Entry e) {
        e.release();
    }

    /**
     * Asks sharding to passivate directory {@code ino}'s entity the regular way (its shard then buffers, the
     * entity drains and stops, the next message starts it afresh). For idle entities, operations and tests.
     *
     * @return false when no entity of {@code ino} runs on this node
     */
    public boolean passivate(long ino) {
        Entry e = entries.get(ino);
        if (e == null) {
            return false;
        }
        e.shard.tell(new ClusterSharding.Passivate<>(e.ref));
        return true;
    }

    /**
     * The reply of a read-only command ({@link DirReadView#serves}) from the live state of directory {@code ino}
     * when its entity runs on this node, without an ask; throws its FsException (ENOENT...); {@link #NOT_HOSTED}
     * when the entity is not here, has not recovered yet or is stopping (then ask it through sharding).
     * <p>
     * Why this is safe against a hand-off: the entity closes its entry before it stops, and a new incarnation
     * (here or on another node) starts only after it stopped. A read that finds the entry still open AFTER it
     * read therefore read the state of the one incarnation that decided every command up to that moment.
     */
    public Object read(long ino, DirCommand cmd) {
        Entry e = entries.get(ino);
        if (e == null) {
            return NOT_HOSTED;
        }
        DirReadView v = e.view;
        if (v == null || e.closed()) {
            return NOT_HOSTED;
        }
        Object reply = null;
        FsException refused = null;
        try {
            reply = v.read(cmd);
        } catch (FsException x) {
            refused = x;
        }
        if (e.closed()) {
            return NOT_HOSTED;
        }
        if (!e.read) {
            e.read = true;
        }
        if (refused != null) {
            throw refused;
        }
        return reply;
    }

    /** The registered ref of {@code ino}, or null (for tests and diagnostics). */
    public ActorRef<DirMsg> peek(long ino) {
        Entry e = entries.get(ino);
        return e == null ? null : e.ref();
    }

    public int size() {
        return entries.size();
    }
}
