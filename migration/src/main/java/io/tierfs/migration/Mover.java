package io.tierfs.migration;

import io.tierfs.migration.policy.Demotion;
import io.tierfs.migration.policy.DemotionPolicy;
import io.tierfs.migration.policy.FileStat;
import io.tierfs.migration.policy.TierState;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.TierUsage;
import io.tierfs.tier.engine.FileTierStat;
import io.tierfs.tier.engine.TierEngine;
import io.tierfs.tier.engine.TierStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The down-migration mover: every interval it asks the policy what to demote and moves those chunks with a
 * bounded number of concurrent copies (slowest source tiers first, so room opens downstream before data arrives).
 * Moves themselves are {@link ChunkMove}s, crash-safe one by one.
 */
public final class Mover implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Mover.class);

    private final TierEngine engine;
    private final DemotionPolicy policy;
    private final FaultPoints faults;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final ReentrantLock roundLock = new ReentrantLock();
    private final Object idle = new Object();

    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong running = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private final AtomicLong bytesUp = new AtomicLong();
    private final MoveObservers observers = new MoveObservers();

    /** Tells {@code l} about every chunk copy from now on (status page, metrics). */
    public void addListener(MoveListener l) {
        observers.add(l);
    }

    /**
     * @param concurrency chunk copies at most in flight
     * @param interval    how often to check the watermarks; null for no background rounds (call {@link #runOnce})
     */
    public Mover(TierEngine engine, DemotionPolicy policy, int concurrency, Duration interval, FaultPoints faults) {
        this.engine = engine;
        this.policy = policy;
        this.faults = faults;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "tierfs-mover-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (interval != null && !interval.isZero() && !interval.isNegative()) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tierfs-mover-scheduler");
                t.setDaemon(true);
                return t;
            });
            long ms = Math.max(1, interval.toMillis());
            scheduler.scheduleWithFixedDelay(this::backgroundRound, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            scheduler = null;
        }
    }

    private void backgroundRound() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.error("mover: round failed", e);
        }
    }

    /** One round: plan with the current usage and carry the plan out. Returns the chunk copies moved. */
    public int runOnce() {
        roundLock.lock();
        try {
            List<TierState> tiers = tierStates();
            List<Demotion> plan = new ArrayList<>(policy.plan(tiers, this::candidates));
            if (plan.isEmpty()) {
                return 0;
            }
            plan.sort(Comparator.comparingInt(Demotion::fromTier).reversed());
            log.debug("mover: {} demotions planned", plan.size());
            int moved = 0;
            int i = 0;
            // Per source tier, one batch; a later batch sees the room the earlier freed.
            while (i < plan.size()) {
                int from = plan.get(i).fromTier();
                List<Future<ChunkMove.Result>> batch = new ArrayList<>();
                for (; i < plan.size() && plan.get(i).fromTier() == from; i++) {
                    Demotion d = plan.get(i);
                    for (int index : engine.chunksOn(d.ino(), d.fromTier())) {
                        batch.add(submit(d.ino(), index, d.fromTier(), d.toTier()));
                    }
                }
                moved += awaitAll(batch);
            }
            return moved;
        } finally {
            roundLock.unlock();
        }
    }

    /**
     * Moves every copy of {@code ino} that lies on a tier faster than {@code targetTier} down to it (or the first
     * slower tier with room). Returns true if nothing of it is left above the target afterwards.
     */
    public boolean demote(long ino, int targetTier) {
        List<Future<ChunkMove.Result>> batch = new ArrayList<>();
        for (int from = targetTier - 1; from >= 0; from--) {
            for (int index : engine.chunksOn(ino, from)) {
                batch.add(submit(ino, index, from, targetTier));
            }
        }
        awaitAll(batch);
        for (int from = 0; from < targetTier; from++) {
            if (!engine.chunksOn(ino, from).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private Future<ChunkMove.Result> submit(long ino, int index, int from, int to) {
        queued.incrementAndGet();
        return workers.submit(() -> {
            queued.decrementAndGet();
            running.incrementAndGet();
            long startMillis = observers.started(ino, index, from, to);
            ChunkMove.Result r = null;
            try {
                r = ChunkMove.run(engine, ino, index, from, to, faults);
                switch (r.outcome()) {
                    case MOVED -> {
                        done.incrementAndGet();
                        bytesDown.addAndGet(r.bytes());
                    }
                    case RACED -> {
                        failed.incrementAndGet();
                        log.info("mover: chunk {}#{} kept changing during {} attempts; left on tier {}",
                                ino, index, ChunkMove.ATTEMPTS, from);
                    }
                    case SKIPPED -> { }
                }
                return r;
            } catch (RuntimeException e) {
                failed.incrementAndGet();
                log.error("mover: moving chunk {}#{} from tier {} to {} failed", ino, index, from, to, e);
                throw e;
            } finally {
                running.decrementAndGet();
                observers.finished(ino, index, from, to, startMillis, r);
                synchronized (idle) {
                    idle.notifyAll();
                }
            }
        });
    }

    private static int awaitAll(List<Future<ChunkMove.Result>> batch) {
        int moved = 0;
        for (Future<ChunkMove.Result> f : batch) {
            try {
                if (f.get().outcome() == ChunkMove.Outcome.MOVED) {
                    moved++;
                }
            } catch (ExecutionException e) {
                // counted and logged by the task
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return moved;
            }
        }
        return moved;
    }

    private List<TierState> tierStates() {
        List<TierUsage> usage = engine.usage();
        List<TierState> out = new ArrayList<>();
        for (TierStore t : engine.tiers()) {
            TierUsage u = usage.get(t.index());
            out.add(new TierState(t.index(), t.name(), t.capacity(), u.usedBytes(), t.highBytes(),
                    t.lowBytes()));
        }
        return out;
    }

    private List<FileStat> candidates(int tier) {
        List<FileStat> out = new ArrayList<>();
        for (FileTierStat s : engine.filesOn(tier)) {
            out.add(new FileStat(s.ino(), s.bytes(), s.lastAccessMillis()));
        }
        return out;
    }

    public MoverStatus status() {
        return new MoverStatus(queued.get(), running.get(), done.get(), failed.get(), bytesDown.get(), bytesUp.get());
    }

    /** Waits until no move is queued or running (and no round is being planned); false on timeout. */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (queued.get() > 0 || running.get() > 0 || roundLock.isLocked()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    idle.wait(Math.max(1, Math.min(left / 1_000_000, 20)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdown(); // no interrupt: it would close the FileChannels the round is using
        }
        workers.shutdown();
        try {
            if (scheduler != null && !scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("mover scheduler did not stop within 30 s");
            }
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("mover workers did not stop within 60 s; interrupting");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }
}
