package io.tierfs.meta.entity;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.meta.state.AnswerTable;
import io.tierfs.meta.state.Decision;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.DirEvent;
import io.tierfs.meta.state.DirLogic;
import io.tierfs.meta.state.DirReadView;
import io.tierfs.meta.state.DirSnapshot;
import io.tierfs.meta.state.DirState;
import io.tierfs.meta.state.RenameIntent;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * The sharded directory entity as Cluster Sharding sees it: the owner of the live, authoritative in-memory
 * {@link DirState} of one directory, in front of its persistence shell {@link DirEntity} (a child actor).
 * <p>
 * Why: Pekko persists one command at a time per entity and answers after the journal write, so a client that
 * creates files one after the other waits a full persist round trip (~1 ms) per file. As CephFS's MDS does with
 * its "early (unsafe) reply", the front decides every command itself with the pure {@link DirLogic} against its
 * state, applies the events at once and:
 * <ul>
 * <li>answers read-only commands at once (they never queue behind a write);</li>
 * <li>answers commands the client flagged early ({@link DirEnvelope#early()}, confirmed by
 *     {@link EarlyReplyPolicy}) at once, before their events are durable, but only when the client runs in this
 *     JVM (its reply address is local): the crash of this node must not lose an operation already acknowledged
 *     to a client that survives it;</li>
 * <li>answers every other command (the steps of multi-directory operations, whose order keeps nlink from ever
 *     being too low) only once everything this directory decided up to and including it is durable;</li>
 * <li>answers a {@link Barrier} once everything decided before the barrier arrived is durable.</li>
 * </ul>
 * Group commit: one {@link DirBatch} is in flight at a time; events decided meanwhile form the next batch (at most
 * {@code maxBatch} events, never splitting one command's events). When more than {@code maxEarly} events wait for
 * durability, early commands are answered late (back-pressure; also bounds what a crash can take back).
 * <p>
 * Durability contract: an early-acknowledged operation is durable within the persist latency (milliseconds), and
 * certainly once a later {@link Barrier} (Namespace.sync) has been answered. A kill -9 may lose early-acknowledged
 * operations of the last moments that nobody synced, as a local file system loses un-fsynced metadata in a crash
 * (only clients in the killed JVM got such replies); it never loses a synchronously acknowledged or synced one,
 * and since every step a multi-directory operation depends on is synchronous, a crash never leaves nlink too low
 * or a name pointing at a missing inode.
 * <p>
 * Exactly once: a mutating command with a {@link RequestId} that decided events gets a {@link DirEvent.Answered}
 * with its reply appended to its events (same journal row); the state keeps each client's last answer
 * ({@link AnswerTable}; a group commit keeps only each client's latest answer). A command whose request id equals
 * the client's last one is not decided again: it gets the recorded reply, once that is durable. A failed command or
 * one without events is remembered in memory only (nothing to make durable; it is lost with this incarnation). An
 * older seq than the client's last gets EIO "superseded" (a stale copy: the client has moved on and no longer
 * waits for it).
 * <p>
 * Start: commands and barriers are stashed until the child has recovered and sent a deep copy of its state
 * ({@link Recovered}). Failure: if the child stops (journal write or recovery failed), every pending reply fails
 * with a retryable EIO ({@link DirReply#retryLater}) and the front stops; decided-but-unpersisted events are lost
 * with it, including early-acknowledged ones of the failed batch (exactly like a crash inside the window). The next
 * message starts a fresh entity that recovers from the journal. Stop: sharding's stop message ({@link Passivate}, on
 * passivation and hand-off) lets the front flush and wait for the last write before it stops, so a clean shutdown
 * loses nothing.
 * <p>
 * Rename intents: while this directory has pending cross-directory rename intents it does not passivate, and it
 * hands every intent that stays open longer than the settings' intent timeout to the re-driver ({@link IntentWatch}),
 * so that the rename of a coordinator that died ends without waiting for this entity's next recovery.
 * <p>
 * Fast path: while it runs, the front is entered in the node-local {@link LocalDirRegistry}, so clients on this
 * node tell it directly instead of through the ShardRegion and Shard actors. On {@link Passivate} it leaves the
 * registry and processes every message a client sent it directly before it stops (see {@link #onPassivate()}).
 * Once recovered it also publishes its state as a {@link DirReadView}: local lookups and getattrs read it in the
 * client's thread (no message at all); every event is applied through the view, atomically per command. And
 * early commands of local clients are decided in the client's thread ({@link #decideInline}, under the front's
 * decision lock, which the actor's handlers hold too): no message either, except one {@link Kick} per journal
 * batch that tells the actor events are waiting.
 */
public final class DirFront extends AbstractBehavior<DirMsg> {

    /** Answered (with Boolean.TRUE) once every event decided before its arrival is durable. */
    public record Barrier(ActorRef<DirReply> replyTo) implements DirMsg {
    }

    /** Sharding's stop message: stop once everything decided is durable. */
    public record Passivate() implements DirMsg {
    }

    /** From the child after recovery: a deep copy of the recovered state. */
    public record Recovered(DirSnapshot state) implements DirMsg {
    }

    /** From the child: the events up to decided-sequence {@code upTo} are durable. */
    public record Persisted(long upTo) implements DirMsg {
    }

    /** The child stopped. */
    public record ChildStopped() implements DirMsg {
    }

    /** Timer: the events that only early replies depend on have waited long enough; write them. */
    public record Linger() implements DirMsg {
    }

    /** Timer: passivate when no client message came since the last tick. */
    public record IdleTick() implements DirMsg {
    }

    /** Timer while rename intents are pending: hands those open too long to the re-driver ({@link IntentWatch}). */
    public record IntentTick() implements DirMsg {
    }

    /** Self message while stopping: checks that no local client is still sending through the fast path. */
    public record DrainCheck() implements DirMsg {
    }

    /** Self message after the last fast-path message: everything sent to this incarnation has been processed. */
    public record Drained() implements DirMsg {
    }

    /** From a thread that decided a command inline ({@link #decideInline}): events wait in the batch queue. */
    public record Kick() implements DirMsg {
    }

    /** From a thread whose inline decision could not be applied (a bug): the front fails as if it had thrown. */
    public record InlineFailed(RuntimeException cause) implements DirMsg {
    }

    /** A reply held back until the persisted sequence reaches {@code target}. */
    private record Waiter(long target, ActorRef<DirReply> replyTo, DirReply reply) {
    }

    /** The last answer to a client that no event records (a refusal, or a success that changed nothing). */
    private record Unrecorded(long seq, DirReply reply) {
    }

    private static final DirReply BARRIER_DONE = DirReply.ok(Boolean.TRUE);
    /** Most clients whose unrecorded answers the front remembers (in memory only, least recent dropped). */
    private static final int MAX_UNRECORDED = 1024;
    private static final Object LINGER_KEY = "linger";
    private static final Object INTENT_KEY = "intents";

    private final long ino;
    private final Clock clock;
    private final int maxBatch;
    private final int maxEarly;
    private final Duration linger;
    private final TimerScheduler<DirMsg> timers;
    private final ActorRef<DirBatch> child;
    private int nextCount;
    private DirState state;
    /** {@link #state} as other threads of this node read it; every event is applied through it. */
    private DirReadView view;
    private final List<DirMsg> stash = new ArrayList<>();
    /** Events decided (and applied to {@link #state}); handed to the child; known durable. */
    private long decided;
    private long sent;
    private long persisted;
    private final ArrayDeque<List<DirEvent>> next = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private boolean passivating;
    private final LocalDirRegistry registry;
    private final LocalDirRegistry.Entry local;
    private boolean drained;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private boolean touched;
    private final LinkedHashMap<String, Unrecorded> unrecorded = new LinkedHashMap<>();
    private final IntentWatch intentWatch;
    private final BiConsumer<Long, RenameIntent> redriver;
    /**
     * Guards everything a decision touches ({@link #state}, the batch queue and its counters, the answer memory)
     * against the node's client threads that decide early commands inline ({@link #decideInline}); the actor holds
     * it in every handler. Reentrant: handlers call each other.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** This actor (ActorContext is for the actor's own thread only). */
    private final ActorRef<DirMsg> self;
    /** Recovered and not stopping: client threads may decide inline. Guarded by {@link #lock}. */
    private boolean open;
    /** A {@link Kick} is on its way, or the queued events will be sent by a timer or a Persisted. Under lock. */
    private boolean kicked;

    /**
     * @param registry  node-local registry the front enters itself in while it runs, for the clients' one-hop fast
     *                  path (see {@link LocalDirRegistry})
     * @param shard     the hosting shard (sharding's entity context)
     * @param idleAfter the front asks its shard to passivate it after this long without a client message (the
     *                  shard cannot tell: the fast path bypasses it, so sharding's own idle passivation is off)
     */
    public static Behavior<DirMsg> create(long ino, DirEntity.Settings settings, LocalDirRegistry registry,
                                          ActorRef<ClusterSharding.ShardCommand> shard, Duration idleAfter) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new IdleTick(), idleAfter);
            return new DirFront(ctx, timers, ino, settings, registry, shard);
        }));
    }

    private DirFront(ActorContext<DirMsg> ctx, TimerScheduler<DirMsg> timers, long ino, DirEntity.Settings settings,
                     LocalDirRegistry registry, ActorRef<ClusterSharding.ShardCommand> shard) {
        super(ctx);
        this.registry = registry;
        this.shard = shard;
        this.timers = timers;
        this.linger = settings.earlyLinger();
        this.ino = ino;
        this.clock = settings.clock();
        this.maxBatch = settings.maxBatch();
        this.maxEarly = settings.maxEarly();
        this.intentWatch = new IntentWatch(ino, settings.intentTimeout());
        this.redriver = settings.redriver();
        this.self = ctx.getSelf();
        this.child = ctx.spawn(DirEntity.create(ino, settings, ctx.getSelf()), "journal");
        ctx.watchWith(child, new ChildStopped());
        this.local = registry.register(ino, ctx.getSelf(), shard);
    }

    @Override
    public Receive<DirMsg> createReceive() {
        return newReceiveBuilder()
                .onMessage(DirEnvelope.class, m -> locked(() -> onCommand(m)))
                .onMessage(Barrier.class, m -> locked(() -> onBarrier(m)))
                .onMessage(Recovered.class, m -> locked(() -> onRecovered(m)))
                .onMessage(Persisted.class, m -> locked(() -> onPersisted(m)))
                .onMessage(Kick.class, m -> locked(() -> {
                    touched = true;
                    flush(false);
                    return this;
                }))
                .onMessage(InlineFailed.class, m -> {
                    throw m.cause(); // as if onCommand had thrown: the entity stops, the journal copy recovers
                })
                .onMessage(Linger.class, m -> locked(() -> {
                    flush(true);
                    return this;
                }))
                .onMessage(Passivate.class, m -> locked(this::onPassivate))
                .onMessage(DrainCheck.class, m -> onDrainCheck())
                .onMessage(IdleTick.class, m -> locked(this::onIdleTick))
                .onMessage(IntentTick.class, m -> locked(this::onIntentTick))
                .onMessage(Drained.class, m -> locked(() -> {
                    drained = true;
                    return maybeStop();
                }))
                .onMessage(ChildStopped.class, m -> locked(this::onChildStopped))
                .onSignal(PostStop.class, m -> {
                    registry.deregister(ino, local);
                    return this;
                })
                .build();
    }

    private Behavior<DirMsg> locked(java.util.function.Supplier<Behavior<DirMsg>> handler) {
        lock.lock();
        try {
            return handler.get();
        } finally {
            lock.unlock();
        }
    }

    private Behavior<DirMsg> onRecovered(Recovered m) {
        state = DirState.fromSnapshot(m.state());
        view = new DirReadView(state);
        open = !passivating;
        local.publish(view, this::decideInline); // inline deciders wait for the lock: the stash goes first
        for (DirMsg msg : stash) {
            if (msg instanceof DirEnvelope env) {
                onCommand(env);
            } else if (msg instanceof Barrier b) {
                onBarrier(b);
            }
        }
        stash.clear();
        watchIntents();
        return maybeStop();
    }

    /**
     * Decides an early command of a client of this node in the client's own thread, as {@link #onCommand} would:
     * the decision, its events applied to the live state and queued for the journal, and the early reply, without
     * the two thread hand-offs of an ask (the mailbox, and the reply back to the waiting caller: ~100 µs of a
     * create through the mount on this machine's vCPUs). The actor only learns that events wait ({@link Kick}, at
     * most one per batch) and writes them as before.
     * <p>
     * Why this is the same as the ask: every decision, inline or by the actor, happens under {@link #lock} and in
     * one order, which is the order of {@link #next} (the journal's order) and of the read view's applies. A
     * command whose reply must wait for durability (an unlink or rename whose outcome reaches beyond this
     * directory, a refusal of one, back-pressure, a request already answered) is not decided here: the caller asks
     * the actor, which decides it afresh (nothing was applied).
     *
     * @return the reply, or null: ask the actor instead
     */
    private DirReply decideInline(DirCommand cmd, RequestId id) {
        lock.lock();
        try {
            if (!open || decided - persisted > maxEarly || (id != null && knownAnswer(id) != null)) {
                return null;
            }
            long now = nowNs();
            Decision d;
            try {
                d = DirLogic.decide(state, cmd, now);
            } catch (FsException e) {
                if (!EarlyReplyPolicy.confined(cmd, null)) {
                    return null;
                }
                DirReply refused = DirReply.failed(e.errno(), e.getMessage());
                if (id != null) {
                    remember(id, refused);
                }
                return refused;
            } catch (RuntimeException e) {
                return null; // the actor decides it again and logs it
            }
            if (!EarlyReplyPolicy.confined(cmd, d.reply())) {
                return null;
            }
            if (d.events().isEmpty()) {
                if (id != null) {
                    remember(id, DirReply.ok(d.reply()));
                }
            } else {
                try {
                    enqueue(d, id, now, self);
                } catch (RuntimeException e) {
                    open = false; // the live state may be half-applied: nobody decides against it any more
                    self.tell(new InlineFailed(e));
                    throw e;
                }
                if (!kicked) {
                    kicked = true;
                    self.tell(new Kick());
                }
            }
            return DirReply.ok(d.reply());
        } finally {
            lock.unlock();
        }
    }

    /** Starts the intent timer when rename intents are pending (the re-drive of a dead coordinator's rename). */
    private void watchIntents() {
        if (!timers.isTimerActive(INTENT_KEY) && !state.pendingIntents().isEmpty()) {
            timers.startTimerWithFixedDelay(INTENT_KEY, new IntentTick(), intentWatch.tick());
        }
    }

    private Behavior<DirMsg> onIntentTick() {
        var pending = state.pendingIntents();
        if (pending.isEmpty()) {
            timers.cancel(INTENT_KEY);
        }
        for (var intent : intentWatch.due(pending, clock.millis())) {
            redriver.accept(ino, intent);
        }
        return this;
    }

    private Behavior<DirMsg> onIdleTick() {
        // not while rename intents are pending: this directory re-drives them (a passivated one could not)
        if (local.readSinceLastCheck()) {
            touched = true;
        }
        if (!touched && !passivating && waiters.isEmpty() && stash.isEmpty()
                && (state == null || state.pendingIntents().isEmpty())) {
            shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
        }
        touched = false;
        return this;
    }

    private Behavior<DirMsg> onCommand(DirEnvelope env) {
        touched = true;
        if (state == null) {
            stash.add(env);
            return this;
        }
        RequestId id = env.cmd().readOnly() ? null : env.id();
        if (id != null) {
            DirReply known = knownAnswer(id);
            if (known != null) {
                getContext().getLog().debug("directory {}: request {} ({}) answered again", ino, id,
                        env.cmd().getClass().getSimpleName());
                replyWhenDurable(env.replyTo(), known);
                flush(false);
                return this;
            }
        }
        DirReply reply;
        boolean early = env.early() && env.replyTo().path().address().hasLocalScope();
        Decision d = null;
        long now = nowNs();
        try {
            d = DirLogic.decide(state, env.cmd(), now);
            reply = DirReply.ok(d.reply());
            early = early && EarlyReplyPolicy.confined(env.cmd(), d.reply());
        } catch (FsException e) {
            reply = DirReply.failed(e.errno(), e.getMessage());
            early = early && EarlyReplyPolicy.confined(env.cmd(), null);
        } catch (RuntimeException e) {
            getContext().getLog().error("directory {}: command {} failed", ino, env.cmd(), e);
            reply = DirReply.failed(Errno.EIO, String.valueOf(e));
            early = false;
        }
        if (d != null && !d.events().isEmpty()) {
            enqueue(d, id, now, env.replyTo());
            if (env.cmd() instanceof DirCommand.BeginDirRename) {
                watchIntents();
            }
        } else if (id != null) {
            remember(id, reply);
        }
        if (env.cmd().readOnly() || (early && decided - persisted <= maxEarly)) {
            env.replyTo().tell(reply);
        } else {
            replyWhenDurable(env.replyTo(), reply);
        }
        flush(false);
        return this;
    }

    /**
     * Applies a decision's events (plus the request's {@link DirEvent.Answered}) to the live state and queues them
     * for the journal. Under {@link #lock}. An event that cannot be applied is a bug that must crash the entity
     * (the journal copy then recovers), not a state half-applied behind an EIO: callers let it propagate.
     *
     * @param replyTo where the reply goes (its address tells other members' caches who made the change)
     */
    private void enqueue(Decision d, RequestId id, long now, ActorRef<?> replyTo) {
        List<DirEvent> events = d.events();
        if (id != null) {
            events = new ArrayList<>(events);
            events.add(new DirEvent.Answered(id.client(), id.seq(), d.reply(), now));
            unrecorded.remove(id.client());
        }
        view.apply(events); // atomically for local readers, before anybody gets the reply
        next.add(events);
        registry.changed(ino, d.events(), replyTo); // other members' client caches
        nextCount += events.size();
        decided += events.size();
    }

    /**
     * The answer a request already got: the recorded or unrecorded reply of the client's last request when
     * {@code id} is that request, EIO "superseded" when it is older, null when it is new (decide it).
     */
    private DirReply knownAnswer(RequestId id) {
        DirEvent.Answered recorded = state.answers().last(id.client());
        Unrecorded other = unrecorded.get(id.client());
        long last = Math.max(recorded == null ? Long.MIN_VALUE : recorded.seq(),
                other == null ? Long.MIN_VALUE : other.seq());
        if (id.seq() > last) {
            return null;
        }
        if (recorded != null && recorded.seq() == id.seq()) {
            return DirReply.ok(recorded.reply());
        }
        if (other != null && other.seq() == id.seq()) {
            return other.reply();
        }
        return DirReply.failed(Errno.EIO, "request " + id + " superseded: the client's last request here is seq "
                + last);
    }

    private void remember(RequestId id, DirReply reply) {
        unrecorded.remove(id.client());
        unrecorded.put(id.client(), new Unrecorded(id.seq(), reply));
        if (unrecorded.size() > MAX_UNRECORDED) {
            Iterator<Unrecorded> eldest = unrecorded.values().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** Replies once everything decided so far is durable (at once when it already is). */
    private void replyWhenDurable(ActorRef<DirReply> replyTo, DirReply reply) {
        if (decided == persisted) {
            replyTo.tell(reply);
        } else {
            waiters.add(new Waiter(decided, replyTo, reply));
        }
    }

    private Behavior<DirMsg> onBarrier(Barrier b) {
        touched = true;
        if (state == null) {
            stash.add(b);
        } else if (decided == persisted) {
            b.replyTo().tell(BARRIER_DONE);
        } else {
            waiters.add(new Waiter(decided, b.replyTo(), BARRIER_DONE));
            flush(true);
        }
        return this;
    }

    /**
     * Sends the next batch when no write is in flight. Events that only early replies depend on may linger
     * (up to {@code linger}) to make bigger batches: a write costs far more than an event in it. A waiting reply
     * or barrier, a full batch, passivation or {@code force} send at once.
     */
    private void flush(boolean force) {
        if (sent != persisted || next.isEmpty()) {
            return;
        }
        if (!force && waiters.isEmpty() && !passivating && nextCount < maxBatch && !linger.isZero()) {
            if (!timers.isTimerActive(LINGER_KEY)) {
                timers.startSingleTimer(LINGER_KEY, new Linger(), linger);
            }
            return;
        }
        timers.cancel(LINGER_KEY);
        List<DirEvent> batch = new ArrayList<>();
        while (!next.isEmpty() && (batch.isEmpty() || batch.size() + next.peek().size() <= maxBatch)) {
            batch.addAll(next.poll());
        }
        kicked = !next.isEmpty(); // what is left goes out after this batch's Persisted
        nextCount -= batch.size();
        sent += batch.size();
        child.tell(new DirBatch(AnswerTable.latestAnswersOnly(batch), sent));
    }

    private Behavior<DirMsg> onPersisted(Persisted m) {
        persisted = m.upTo();
        while (!waiters.isEmpty() && waiters.peek().target() <= persisted) {
            Waiter w = waiters.poll();
            w.replyTo().tell(w.reply());
        }
        flush(false);
        return maybeStop();
    }

    /**
     * Sharding buffers what comes for this directory from now on, but local clients may still be telling this
     * incarnation directly: leave the registry and stop only after the last such message was processed
     * ({@link DrainCheck}, {@link Drained}).
     */
    private Behavior<DirMsg> onPassivate() {
        if (!passivating) {
            passivating = true;
            open = false;
            registry.deregister(ino, local);
            getContext().getSelf().tell(new DrainCheck());
        }
        flush(true);
        return maybeStop();
    }

    /** Once no client is between acquire and tell, every fast-path message is ahead of the Drained sent now. */
    private Behavior<DirMsg> onDrainCheck() {
        getContext().getSelf().tell(local.drained() ? new Drained() : new DrainCheck());
        return this;
    }

    private Behavior<DirMsg> maybeStop() {
        if (!passivating || !drained) {
            return this;
        }
        boolean idle = state == null ? stash.isEmpty() : decided == persisted;
        return idle ? Behaviors.stopped() : this;
    }

    private Behavior<DirMsg> onChildStopped() {
        open = false;
        registry.deregister(ino, local);
        long lost = decided - persisted;
        getContext().getLog().warn("journal of directory {} stopped: failing {} waiting replies and {} stashed "
                + "commands; {} decided events not durable (early-acknowledged ones among them are lost)", ino,
                waiters.size(), stash.size(), lost);
        // nothing of these was (known to be) decided durably: the client sends the same request again to the next
        // incarnation, which recovers from the journal and finds the answer there if the write did succeed
        DirReply failed = DirReply.retryLater("directory " + ino + " entity stopped (journal failure)");
        for (Waiter w : waiters) {
            w.replyTo().tell(failed);
        }
        for (DirMsg msg : stash) {
            if (msg instanceof DirEnvelope env) {
                env.replyTo().tell(failed);
            } else if (msg instanceof Barrier b) {
                b.replyTo().tell(failed);
            }
        }
        return Behaviors.stopped();
    }

    private long nowNs() {
        return io.tierfs.common.time.Times.nowNs(clock);
    }
}
