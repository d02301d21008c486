package io.tierfs.migration;

import io.tierfs.migration.live.AccessHeat;
import io.tierfs.migration.live.MoveRecord;
import io.tierfs.migration.live.MoveState;
import io.tierfs.migration.live.PrestageJob;
import io.tierfs.migration.live.PrestageStatus;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.Heat;
import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.TierFill;
import io.tierfs.migration.policy.TierState;
import io.tierfs.migration.policy.plan.Bandwidth;
import io.tierfs.migration.policy.plan.MoveKind;
import io.tierfs.migration.policy.plan.Plan;
import io.tierfs.migration.policy.plan.PlannedMove;
import io.tierfs.migration.policy.plan.PolicyPlanner;
import io.tierfs.migration.policy.plan.Prestage;
import io.tierfs.migration.policy.plan.PrestageProgress;
import io.tierfs.migration.policy.plan.PrestageRequest;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.engine.FileTierStat;
import io.tierfs.tier.engine.TierEngine;
import io.tierfs.tier.engine.TierStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The policy-driven mover of a live node: every interval (and at once after a policy change or a pre-stage request)
 * it plans with {@link PolicyPlanner} (pins, pre-stages, demotions, promotions) and replaces its queue of moves not
 * yet started with the new plan; workers take moves from the head of the queue (recall &gt; pre-stage &gt; demotion
 * &gt; promotion), at most the policy's {@code mover.concurrency} at once, throttled by its {@code mover.bandwidth}.
 * Each file move is a series of crash-safe {@link ChunkMove}s, downward or upward. Reads never wait for it: a
 * promotion is planned from access heat and runs here, in the background. The policy is read at every round, so a
 * replaced policy takes effect at the next round without restart.
 */
public final class LiveMover implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveMover.class);
    /** Finished moves kept for GET /api/v1/migrations. */
    public static final int RECENT = 256;
    /** Pre-stage requests kept (finished ones are dropped oldest first). */
    public static final int PRESTAGES_KEPT = 256;

    private final TierEngine engine;
    private final Supplier<Policy> policy;
    private final AccessHeat heat;
    private final Clock clock;
    private final FaultPoints faults;
    private final MoveObservers observers = new MoveObservers();
    private volatile LongFunction<FileInfo> facts = ino -> null;

    private final Object lock = new Object();
    private final List<Job> queue = new ArrayList<>();
    private final Map<Long, Job> running = new HashMap<>();
    private final Deque<MoveRecord> recent = new ArrayDeque<>();
    private final Map<String, PrestageJob> prestages = new LinkedHashMap<>();
    private Bandwidth bandwidth;
    private boolean closed;

    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicInteger planning = new AtomicInteger();
    /** A periodic round is skipped at most this long when nothing changed (see {@link #backgroundRound}). */
    static final long MAX_SKIP_MILLIS = 60_000;
    /** Planner thread only: the access count and time of the last periodic or kicked round. */
    private long accessesAtLastRound = -1;
    private long lastRoundMillis;

    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;

    /** One planned file move and its live record. */
    private static final class Job {
        final PlannedMove move;
        volatile MoveRecord record;

        Job(PlannedMove move, MoveRecord record) {
            this.move = move;
            this.record = record;
        }
    }

    /**
     * @param interval how often to plan; null for no background rounds (call {@link #runOnce})
     */
    /** Tells {@code l} about every chunk copy (status page, metrics). */
    public void addListener(MoveListener l) {
        observers.add(l);
    }

    public LiveMover(TierEngine engine, Supplier<Policy> policy, AccessHeat heat, Clock clock, Duration interval,
                     FaultPoints faults) {
        this.engine = engine;
        this.policy = policy;
        this.heat = heat;
        this.clock = clock;
        this.faults = faults;
        this.bandwidth = Bandwidth.of(policy.get().mover().bandwidthBytesPerSecond(), clock.millis());
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tierfs-live-mover-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tierfs-live-mover-planner");
            t.setDaemon(true);
            return t;
        });
        if (interval != null && !interval.isZero() && !interval.isNegative()) {
            long ms = Math.max(1, interval.toMillis());
            scheduler.scheduleWithFixedDelay(this::backgroundRound, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Where the policy's per-file facts come from (path, owner, times, xattrs); null answers mean "unknown". */
    public void facts(LongFunction<FileInfo> source) {
        this.facts = source;
    }

    /** Plans a round soon, on the planner thread (after a policy change or a new pre-stage). */
    public void kick() {
        try {
            scheduler.execute(this::plannedRound);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("mover closed, round not planned");
        }
    }

    /**
     * The periodic round, skipped when it cannot plan anything new: no access counted since the last round (no
     * new file, no heat change), no tier above its high watermark, no active pre-stage, nothing queued or running.
     * A round planning every file costs a namespace lookup per file; an idle node need not pay it every interval.
     * Rules that change with time alone (ages) are still seen within {@link #MAX_SKIP_MILLIS}.
     */
    private void backgroundRound() {
        long accesses = heat.counted();
        long now = clock.millis();
        if (accesses == accessesAtLastRound && now - lastRoundMillis < MAX_SKIP_MILLIS && !busy()
                && policy.get().tierStates(fills()).stream().noneMatch(TierState::aboveHigh)) {
            return;
        }
        plannedRound();
    }

    private boolean busy() {
        long now = clock.millis();
        synchronized (lock) {
            return !queue.isEmpty() || !running.isEmpty()
                    || prestages.values().stream().anyMatch(j -> j.active(now));
        }
    }

    private void plannedRound() {
        try {
            accessesAtLastRound = heat.counted();
            lastRoundMillis = clock.millis();
            runOnce();
        } catch (RuntimeException e) {
            log.error("live mover: round failed", e);
        }
    }

    /** One planning round now: plans, replaces the queue, starts what the limits allow. Returns the plan. */
    public Plan runOnce() {
        planning.incrementAndGet();
        try {
            Policy p = policy.get();
            long now = clock.millis();
            List<TierState> tiers = p.tierStates(fills());
            List<PrestageJob> active;
            synchronized (lock) {
                active = prestages.values().stream().filter(j -> j.active(now)).toList();
            }
            List<PrestageRequest> requests = active.stream().map(PrestageJob::request)
                    .filter(r -> p.tierIndex(r.targetTier()).isPresent()).toList();
            List<FileInfo> files = files(p, now);
            Plan plan = new PolicyPlanner(p, clock).plan(tiers, files, requests, now);
            Map<String, PrestageProgress> progress = new HashMap<>();
            plan.prestages().forEach(pp -> progress.put(pp.id(), pp));
            synchronized (lock) {
                for (PrestageJob j : active) {
                    PrestageProgress pp = progress.get(j.request().id());
                    if (pp != null && !j.cancelled()) {
                        j.progress(pp);
                    }
                }
                queue.clear();
                for (PlannedMove m : plan.moves()) {
                    if (running.containsKey(m.ino()) || !worthMoving(m)) {
                        continue;
                    }
                    queue.add(new Job(m, record(m, now)));
                }
                bandwidth = rebucket(bandwidth, p.mover().bandwidthBytesPerSecond(), now);
                dispatch(p.mover().concurrency());
            }
            return plan;
        } finally {
            planning.decrementAndGet();
            synchronized (lock) {
                lock.notifyAll();
            }
        }
    }

    private static Bandwidth rebucket(Bandwidth b, long rate, long now) {
        return b.bytesPerSecond() == rate ? b : Bandwidth.of(rate, now);
    }

    /**
     * An upward move carries only primary copies: a file whose bytes on the source tier are all durable copies of
     * chunks living on a faster (volatile) tier is already up.
     */
    private boolean worthMoving(PlannedMove m) {
        if (m.toTier() > m.fromTier()) {
            return true;
        }
        return !upChunks(m.ino(), m.fromTier()).isEmpty();
    }

    private List<Integer> upChunks(long ino, int fromTier) {
        String from = engine.tiers().get(fromTier).name();
        List<Integer> out = new ArrayList<>();
        for (ChunkPlacement c : engine.where(ino)) {
            if (from.equals(c.tier())) {
                out.add(c.index());
            }
        }
        return out;
    }

    private MoveRecord record(PlannedMove m, long now) {
        String pid = m instanceof Prestage ps ? ps.requestId() : null;
        FileInfo f = facts.apply(m.ino());
        return new MoveRecord(ids.incrementAndGet(), m.kind(), pid, m.ino(), f == null ? "" : f.path(),
                tierName(m.fromTier()), tierName(m.toTier()), m.bytes(), MoveState.QUEUED, 0, 0, now, 0, 0, null,
                m.reason() == null ? "" : m.reason().detail());
    }

    private String tierName(int i) {
        return engine.tiers().get(i).name();
    }

    /** Starts queued moves while the concurrency limit allows; called with the lock held. */
    private void dispatch(int concurrency) {
        while (!closed && !queue.isEmpty() && running.size() < concurrency) {
            Job j = queue.remove(0);
            if (running.containsKey(j.move.ino())) {
                continue;
            }
            running.put(j.move.ino(), j);
            workers.execute(() -> execute(j));
        }
    }

    private void execute(Job j) {
        PlannedMove m = j.move;
        long started = clock.millis();
        j.record = j.record.with(MoveState.COPYING, 0, 0, started, 0, null);
        long moved = 0;
        int chunks = 0;
        String error = null;
        try {
            List<Integer> indexes = m.toTier() < m.fromTier() ? upChunks(m.ino(), m.fromTier())
                    : engine.chunksOn(m.ino(), m.fromTier());
            for (int index : indexes) {
                throttle(engine.chunkSize());
                final long soFar = moved;
                final int nSoFar = chunks;
                long startMillis = observers.started(m.ino(), index, m.fromTier(), m.toTier());
                ChunkMove.Result r = null;
                try {
                    r = ChunkMove.run(engine, m.ino(), index, m.fromTier(), m.toTier(), faults,
                            () -> j.record = j.record.with(MoveState.VERIFYING, soFar, nSoFar, started, 0, null));
                } finally {
                    observers.finished(m.ino(), index, m.fromTier(), m.toTier(), startMillis, r);
                }
                if (r.outcome() == ChunkMove.Outcome.MOVED) {
                    moved += r.bytes();
                    chunks++;
                    (m.toTier() > m.fromTier() ? bytesDown : bytesUp).addAndGet(r.bytes());
                    took(r.bytes());
                }
                j.record = j.record.with(MoveState.COPYING, moved, chunks, started, 0, null);
            }
        } catch (RuntimeException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            log.error("live mover: {} of inode {} from {} to {} failed", m.kind(), m.ino(), tierName(m.fromTier()),
                    tierName(m.toTier()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        long ended = clock.millis();
        MoveRecord fin = j.record.with(error == null ? MoveState.DONE : MoveState.FAILED, moved, chunks, started,
                ended, error);
        j.record = fin;
        (error == null ? done : failed).incrementAndGet();
        synchronized (lock) {
            running.remove(m.ino());
            recent.addFirst(fin);
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
            if (m instanceof Prestage ps && error == null) {
                PrestageJob pj = prestages.get(ps.requestId());
                if (pj != null && pj.progress() != null && !pj.cancelled()) {
                    pj.progress(pj.progress().moved(moved, ended));
                }
            }
            dispatch(policy.get().mover().concurrency());
            lock.notifyAll();
        }
    }

    private void throttle(long bytes) throws InterruptedException {
        while (true) {
            long wait;
            synchronized (lock) {
                wait = bandwidth.waitMillis(bytes, clock.millis());
            }
            if (wait <= 0) {
                return;
            }
            Thread.sleep(Math.min(wait, 1000)); // the throttle itself: waiting is its job
        }
    }

    private void took(long bytes) {
        synchronized (lock) {
            bandwidth = bandwidth.took(bytes, clock.millis());
        }
    }

    /**
     * The files as the policy sees them: one entry per file and tier holding its primary chunks (with the
     * namespace's facts and the live heat), and an anonymous entry (no path, so no rule matches it) for durable
     * copies on a tier that holds none of the file's primaries, so demotion can still make room by moving them.
     */
    private List<FileInfo> files(Policy p, long now) {
        Map<Long, Long> lastAccess = new TreeMap<>();
        for (TierStore t : engine.tiers()) {
            for (FileTierStat s : engine.filesOn(t.index())) {
                lastAccess.merge(s.ino(), s.lastAccessMillis(), Math::max);
            }
        }
        Map<String, Integer> index = new HashMap<>();
        for (TierStore t : engine.tiers()) {
            index.put(t.name(), t.index());
        }
        int n = engine.tiers().size();
        List<FileInfo> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : lastAccess.entrySet()) {
            long ino = e.getKey();
            long[] primary = new long[n];
            long[] durable = new long[n];
            long size = 0;
            for (ChunkPlacement c : engine.where(ino)) {
                Integer t = index.get(c.tier());
                if (t != null) {
                    primary[t] += c.length();
                }
                if (c.durableTier() != null && index.containsKey(c.durableTier())) {
                    durable[index.get(c.durableTier())] += c.length();
                }
                size += c.length();
            }
            FileInfo base = facts.apply(ino);
            AccessHeat.Stat st = heat.get(ino);
            Heat h = st == null ? Heat.COLD : st.heat();
            long accesses = st == null ? 0 : st.accesses();
            long atime = e.getValue();
            if (base == null) {
                base = new FileInfo(ino, "", size, size, 0, 0, atime, atime, h, accesses, Map.of(), 0);
            } else {
                base = base.withTimes(base.mtimeMillis(), Math.max(base.atimeMillis(), atime)).withHeat(h, accesses);
            }
            for (int t = 0; t < n; t++) {
                if (primary[t] > 0) {
                    out.add(base.onTier(t, primary[t] + durable[t]));
                } else if (durable[t] > 0) {
                    out.add(new FileInfo(ino, "", base.size(), durable[t], base.uid(), base.gid(), base.mtimeMillis(),
                            atime, Heat.COLD, 0, Map.of(), t));
                }
            }
        }
        return out;
    }

    /** The tiers' fill now, fastest first (for a dry run). */
    public List<TierFill> fills() {
        return engine.usage().stream().map(u -> new TierFill(u.name(), u.capacityBytes(), u.usedBytes())).toList();
    }

    /** The files as the planner sees them now (for a dry run; see the private overload). */
    public List<FileInfo> files() {
        return files(policy.get(), clock.millis());
    }

    // ------------------------------------------------------------------ pre-stages

    /** Registers a pre-stage request (its id must be new) and plans a round at once. */
    public PrestageStatus prestage(PrestageRequest r) {
        PrestageJob j = new PrestageJob(r, clock.millis());
        synchronized (lock) {
            if (prestages.containsKey(r.id())) {
                throw new IllegalArgumentException("a pre-stage request '" + r.id() + "' exists already");
            }
            prestages.put(r.id(), j);
            trimPrestages();
        }
        kick();
        return j.status();
    }

    private void trimPrestages() {
        long now = clock.millis();
        var it = prestages.values().iterator();
        while (prestages.size() > PRESTAGES_KEPT && it.hasNext()) {
            if (!it.next().active(now)) {
                it.remove();
            }
        }
    }

    public Optional<PrestageStatus> prestageStatus(String id) {
        synchronized (lock) {
            PrestageJob j = prestages.get(id);
            if (j == null) {
                return Optional.empty();
            }
            long now = clock.millis();
            if (!j.cancelled() && j.progress() != null && !j.active(now)) {
                j.progress(j.progress().withState(now));
            }
            return Optional.of(j.status());
        }
    }

    /** Cancels a pre-stage: its queued moves are dropped, running ones finish. Empty if unknown. */
    public Optional<PrestageStatus> cancelPrestage(String id) {
        synchronized (lock) {
            PrestageJob j = prestages.get(id);
            if (j == null) {
                return Optional.empty();
            }
            j.cancel();
            queue.removeIf(q -> q.move instanceof Prestage ps && ps.requestId().equals(id));
            return Optional.of(j.status());
        }
    }

    // ------------------------------------------------------------------ status

    /** Running moves, then queued ones in priority order, then the most recent finished ones (newest first). */
    public List<MoveRecord> migrations() {
        synchronized (lock) {
            List<MoveRecord> out = new ArrayList<>();
            running.values().forEach(j -> out.add(j.record));
            queue.forEach(j -> out.add(j.record));
            out.addAll(recent);
            return out;
        }
    }

    public MoverStatus status() {
        synchronized (lock) {
            return new MoverStatus(queue.size(), running.size(), done.get(), failed.get(), bytesDown.get(),
                    bytesUp.get());
        }
    }

    /** Waits until no move is queued or running and no round is planning; false on timeout. */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!queue.isEmpty() || !running.isEmpty() || planning.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, Math.min(left / 1_000_000, 20)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** Moves of this kind done since start (tests, bench). */
    public long doneCount() {
        return done.get();
    }

    /** For tests: the bytes moved by kind over the recent list. */
    public long recentBytes(MoveKind kind) {
        synchronized (lock) {
            return recent.stream().filter(r -> r.kind() == kind).mapToLong(MoveRecord::bytesMoved).sum();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            queue.clear();
        }
        scheduler.shutdown();
        workers.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("live mover planner did not stop within 30 s");
            }
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("live mover workers did not stop within 60 s; interrupting");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
