package io.tierfs.borrow.evacuate;

import io.tierfs.borrow.LendSettings;
import io.tierfs.borrow.lent.ChunkId;
import io.tierfs.borrow.lent.LentSpace;
import io.tierfs.borrow.lent.SlotState;
import io.tierfs.borrow.recall.LentChunk;
import io.tierfs.borrow.recall.RecallPlan;
import io.tierfs.borrow.recall.RecallPlanner;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.TierUsage;
import io.tierfs.tier.engine.MoveTicket;
import io.tierfs.tier.engine.SwitchedMove;
import io.tierfs.tier.engine.TierEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Empties one lender of this node's chunks before a deadline, without losing a byte (the borrower's half of the
 * recall protocol in DESIGN.md): nothing new is placed there; replicas there are dropped and primaries with a
 * replica elsewhere hand over to it (no copy); clean chunks are dropped at once (their durable copy becomes the
 * primary); dirty chunks are moved down to a durable tier by the crash-safe mover primitives of the engine (intent,
 * copy, CRC32C verify, switch, free). Reads and writes go on throughout: a chunk written during its move is simply
 * tried again. What cannot be placed (durable tiers full) stays where it is and is reported: the caller must then
 * keep the lease.
 *
 * <p>Each pass (clean chunks first, then dirty ones) is worked by up to {@code movers} threads of a pool created for
 * the run and shut down at its end: a move spends its time in a data-plane read (CPU), a force and a durable layout
 * switch (I/O); with several in flight the read of one overlaps the force of another, and the engine groups the
 * intent and switch commits of concurrent moves into one. Workers take no new chunk once the deadline has passed (or
 * the calling thread was interrupted); a move already begun is always finished or aborted, never left half done.
 */
public final class Evacuation {
    private static final Logger log = LoggerFactory.getLogger(Evacuation.class);
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final TierEngine engine;
    private final LentSpace space;
    private final int lentTier;
    private final Clock clock;
    private final int movers;

    /** With the default number of movers ({@code tierfs.lend.recall-movers}). */
    public Evacuation(TierEngine engine, LentSpace space, int lentTier, Clock clock) {
        this(engine, space, lentTier, clock, LendSettings.DEFAULT_RECALL_MOVERS);
    }

    /** @param movers chunks moved at once (1 = one after the other, on the calling thread) */
    public Evacuation(TierEngine engine, LentSpace space, int lentTier, Clock clock, int movers) {
        if (movers < 1) {
            throw new IllegalArgumentException("an evacuation needs at least one mover, got " + movers);
        }
        this.engine = engine;
        this.space = space;
        this.lentTier = lentTier;
        this.clock = clock;
        this.movers = movers;
    }

    /** Evacuates {@code lender} (which the caller has drained or marked down) until empty or {@code deadline}. */
    public EvacuationResult run(String lender, Instant deadline) {
        Instant start = clock.instant();
        EvacuationTally tally = new EvacuationTally();
        space.drain(lender);
        RecallPlan plan = plan(lender);
        log.info("recall of {}: plan: {} ({} movers)", lender, plan.summary(), movers);
        if (!plan.complete()) {
            tally.report(plan.unplaceableReason()); // tried anyway: room may come free while we work
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = movers > 1 ? newPool(lender) : null;
        try {
            for (int round = 0; ; round++) {
                List<ChunkId> todo = space.chunksOn(lender);
                if (todo.isEmpty() || stop.get() || !clock.instant().isBefore(deadline)) {
                    break;
                }
                if (round > 0) {
                    LockSupport.parkNanos(5_000_000L); // busy chunks (written or moved meanwhile): try again shortly
                }
                // clean ones first: dropping them frees the lender fastest
                pass(pool, lender, todo, false, deadline, stop, tally);
                pass(pool, lender, todo, true, deadline, stop, tally);
                if (round > 1000 && tally.problem().isEmpty()) {
                    tally.report("chunks keep changing during their move");
                }
            }
        } finally {
            if (pool != null) {
                shutDown(pool, lender);
            }
        }
        List<ChunkId> left = space.chunksOn(lender);
        long leftBytes = 0;
        for (ChunkId id : left) {
            leftBytes += space.bytesOf(id);
        }
        String problem = tally.problem();
        if (!left.isEmpty() && stop.get()) {
            problem = "interrupted" + (problem.isEmpty() ? "" : " (" + problem + ")");
        } else if (!left.isEmpty() && problem.isEmpty()) {
            problem = "the deadline passed";
        }
        EvacuationResult r = new EvacuationResult(lender, Duration.between(start, clock.instant()), tally.chunks(),
                tally.droppedBytes(), tally.flushedBytes(), tally.promoted(), tally.replicasDropped(), left.size(),
                leftBytes, left.isEmpty() ? "" : problem);
        if (r.complete()) {
            log.info("evacuated {} (mover time: {})", r.summary(), tally.phases());
        } else {
            log.warn("evacuation incomplete: {}", r.summary());
        }
        if (stop.get()) {
            Thread.currentThread().interrupt();
        }
        return r;
    }

    private ExecutorService newPool(String lender) {
        int run = RUNS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(movers, r -> {
            Thread t = new Thread(r, "tierfs-recall-" + lender + "-" + run + "-mover-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Every worker has returned when a pass ends; this only lets the idle threads go. */
    private static void shutDown(ExecutorService pool, String lender) {
        pool.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
                log.warn("evacuation of {}: movers still running after a minute, waiting on", lender);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One pass over {@code todo} (the clean or the dirty chunks): up to {@code movers} workers take chunks from a
     * shared queue until it is empty, the deadline has passed or {@code stop} is set, and the pass returns once every
     * worker has (so no move outlives it). An interrupt of the calling thread sets {@code stop}.
     */
    private void pass(ExecutorService pool, String lender, List<ChunkId> todo, boolean dirtyPass, Instant deadline,
                      AtomicBoolean stop, EvacuationTally tally) {
        ConcurrentLinkedQueue<ChunkId> queue = new ConcurrentLinkedQueue<>(todo);
        Runnable worker = () -> {
            ChunkId id;
            while (!stop.get() && clock.instant().isBefore(deadline) && (id = queue.poll()) != null) {
                evacuate(lender, id, dirtyPass, tally);
            }
        };
        int workers = Math.min(movers, todo.size());
        if (pool == null || workers <= 1) {
            worker.run();
            return;
        }
        List<Future<?>> running = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            running.add(pool.submit(worker));
        }
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    stop.set(true); // workers finish the chunk in hand and take no more
                } catch (ExecutionException e) {
                    // evacuate() reports every exception; only an Error gets here
                    stop.set(true);
                    log.error("evacuation of {}: a mover failed", lender, e.getCause());
                    tally.report("a mover failed: " + e.getCause());
                    break;
                }
            }
        }
    }

    /** Gives one chunk up in this pass if it belongs there; a failure is logged and reported, never thrown. */
    private void evacuate(String lender, ChunkId id, boolean dirtyPass, EvacuationTally tally) {
        if (lender.equals(space.replicaOf(id).orElse(null))) {
            String primary = space.primaryOf(id).orElse(null);
            if (primary != null && !space.readable(primary)) {
                // the primary's lender crashed: this replica is the only copy; it becomes the primary and is moved
                // down like one in a later round
                if (!dirtyPass && space.promoteReplica(id)) {
                    tally.addPromoted();
                }
            } else if (!dirtyPass && space.dropReplica(id)) {
                tally.addReplicaDropped();
            }
            return;
        }
        if (!lender.equals(space.primaryOf(id).orElse(null))) {
            return;
        }
        Optional<String> replica = space.replicaOf(id);
        if (replica.isPresent()) {
            // the copy that stays must be readable now: a lender that just crashed may not be marked down yet
            if (space.readable(replica.get()) && space.probe(replica.get())) {
                if (!dirtyPass && space.promoteReplica(id)) {
                    tally.addPromoted();
                }
                return;
            }
            space.dropReplica(id); // on a crashed lender: useless; the primary here is moved down below
        }
        try {
            Outcome o = moveDown(id, dirtyPass, tally);
            if (o.moved() && o.dropOnly()) {
                tally.addDropped(o.bytes());
            } else if (o.moved()) {
                tally.addFlushed(o.bytes());
            } else if (o.problem() != null) {
                tally.report(o.problem());
            }
        } catch (FsException e) {
            tally.report(e.getMessage());
            log.warn("evacuation of {}: chunk {}#{}: {}", lender, id.ino(), id.index(), e.getMessage());
        } catch (RuntimeException e) {
            tally.report("chunk " + id.ino() + "#" + id.index() + ": " + e);
            log.error("evacuation of {}: chunk {}#{} failed", lender, id.ino(), id.index(), e);
        }
    }

    /**
     * What this borrower has on {@code lender} and whether it can all go somewhere: clean chunks are dropped,
     * replicas promoted, dirty chunks flushed down while the durable tiers have room (no moves to other lenders:
     * flushing also makes the data durable).
     */
    private RecallPlan plan(String lender) {
        List<LentChunk> chunks = new ArrayList<>();
        for (ChunkId id : space.chunksOn(lender)) {
            String replica = space.replicaOf(id).orElse(null);
            String primary = space.primaryOf(id).orElse(null);
            if (lender.equals(replica)) {
                if (primary == null || space.readable(primary)) {
                    continue; // a replica here is simply dropped
                }
                replica = null; // the only copy left (its primary's lender crashed): placed like a primary
            } else if (replica != null && !space.readable(replica)) {
                replica = null; // a replica on a crashed lender cannot be promoted
            }
            for (ChunkPlacement p : engine.where(id.ino())) {
                if (p.index() == id.index()) {
                    chunks.add(new LentChunk(id.ino(), id.index(), p.length(), p.dirty(), p.durableTier() != null,
                            replica));
                }
            }
        }
        long durableRoom = 0;
        for (TierUsage u : engine.usage()) {
            if (!u.kind().equals("DRAM")) {
                durableRoom += Math.max(0, u.capacityBytes() - u.usedBytes());
            }
        }
        Map<String, Long> replicaHolders = new TreeMap<>(); // promotion needs no room; no moves planned
        for (LentSpace.LenderUse u : space.lenders()) {
            if (!u.lender().equals(lender) && u.state() != SlotState.DOWN) {
                replicaHolders.put(u.lender(), 0L);
            }
        }
        return RecallPlanner.plan(lender, chunks, replicaHolders, durableRoom);
    }

    private record Outcome(boolean moved, boolean dropOnly, long bytes, String problem) {
        static Outcome notNow(String problem) {
            return new Outcome(false, false, 0, problem);
        }
    }

    /**
     * Moves one chunk's lent primary down (a clean one is only dropped). In the clean pass, dirty chunks are left for
     * the dirty pass. Not moved (without a problem) when the chunk is busy (another move, or written meanwhile).
     * A copy that fails is aborted (target deleted, reservation and intent dropped) before the error goes up.
     */
    private Outcome moveDown(ChunkId id, boolean dirtyPass, EvacuationTally tally) {
        boolean dirty = engine.where(id.ino()).stream().filter(p -> p.index() == id.index())
                .anyMatch(ChunkPlacement::dirty);
        if (dirty != dirtyPass) {
            return Outcome.notNow(null);
        }
        long t0 = System.nanoTime();
        Optional<MoveTicket> ticket = engine.beginMove(id.ino(), id.index(), lentTier, lentTier + 1);
        long t1 = System.nanoTime();
        tally.timed(EvacuationTally.Phase.BEGIN, t1 - t0);
        if (ticket.isEmpty()) {
            return Outcome.notNow(dirtyPass ? "no durable tier has room for the dirty chunks" : null);
        }
        MoveTicket t = ticket.get();
        try {
            engine.copyForMove(t);
        } catch (RuntimeException e) {
            tally.timed(EvacuationTally.Phase.COPY, System.nanoTime() - t1);
            engine.abortMove(t);
            if (e instanceof FsException f && f.errno() == Errno.EAGAIN) {
                return Outcome.notNow(null);
            }
            throw e;
        }
        long t2 = System.nanoTime();
        tally.timed(EvacuationTally.Phase.COPY, t2 - t1);
        Optional<SwitchedMove> s = engine.switchMove(t);
        long t3 = System.nanoTime();
        tally.timed(EvacuationTally.Phase.SWITCH, t3 - t2);
        if (s.isEmpty()) {
            return Outcome.notNow(null);
        }
        engine.freeSources(s.get());
        tally.timed(EvacuationTally.Phase.FREE, System.nanoTime() - t3);
        return new Outcome(true, t.dropOnly(), t.length(), null);
    }
}
