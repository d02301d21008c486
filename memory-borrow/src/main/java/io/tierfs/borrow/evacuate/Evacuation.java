package io.tierfs.borrow.evacuate;

import io.tierfs.borrow.lent.ChunkId;
import io.tierfs.borrow.lent.LentSpace;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
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
import io.tierfs.borrow.recall.LentChunk;
import io.tierfs.borrow.recall.RecallPlan;
import io.tierfs.borrow.recall.RecallPlanner;
import io.tierfs.tier.ChunkPlacement;
import io.tierfs.tier.TierUsage;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Empties one lender of this node's chunks before a deadline, without losing a byte (the borrower's half of the
 * recall protocol in DESIGN.md): nothing new is placed there; replicas there are dropped and primaries with a
 * replica elsewhere hand over to it (no copy); clean chunks are dropped at once (their durable copy becomes the
 * primary); dirty chunks are moved down to a durable tier by the crash-safe mover primitives of the engine (intent,
 * copy, CRC32C verify, switch, free). Reads and writes go on throughout: a chunk written during its move is simply
 * tried again. What cannot be placed (durable tiers full) stays where it is and is reported: the caller must then
 * keep the lease.
 */
public final class Evacuation {
    private static final Logger log = LoggerFactory.getLogger(Evacuation.class);

    private final TierEngine engine;
    private final LentSpace space;
    private final int lentTier;
    private final Clock clock;

    public Evacuation(TierEngine engine, LentSpace space, int lentTier, Clock clock) {
        this.engine = engine;
        this.space = space;
        this.lentTier = lentTier;
        this.clock = clock;
    }

    /** Evacuates {@code lender} (which the caller has drained or marked down) until empty or {@code deadline}. */
    public EvacuationResult run(String lender, Instant deadline) {
        Instant start = clock.instant();
        long dropped = 0;
        long flushed = 0;
        int promoted = 0;
        int replicasDropped = 0;
        int chunks = 0;
        String problem = "";
        space.drain(lender);
        RecallPlan plan = plan(lender);
        log.info("recall of {}: plan: {}", lender, plan.summary());
        if (!plan.complete()) {
            problem = plan.unplaceableReason(); // tried anyway: room may come free while we work
        }
        for (int round = 0; ; round++) {
            List<ChunkId> todo = space.chunksOn(lender);
            if (todo.isEmpty() || !clock.instant().isBefore(deadline)) {
                break;
            }
            if (round > 0) {
                LockSupport.parkNanos(5_000_000L); // busy chunks (written or moved meanwhile): try again shortly
            }
            // clean ones first: dropping them frees the lender fastest
            for (boolean dirtyPass : new boolean[]{false, true}) {
                for (ChunkId id : todo) {
                    if (!clock.instant().isBefore(deadline)) {
                        break;
                    }
                    if (lender.equals(space.replicaOf(id).orElse(null))) {
                        if (!dirtyPass && space.dropReplica(id)) {
                            replicasDropped++;
                            chunks++;
                        }
                        continue;
                    }
                    if (!lender.equals(space.primaryOf(id).orElse(null))) {
                        continue;
                    }
                    if (space.replicaOf(id).isPresent()) {
                        if (!dirtyPass && space.promoteReplica(id)) {
                            promoted++;
                            chunks++;
                        }
                        continue;
                    }
                    try {
                        Outcome o = moveDown(id, dirtyPass);
                        if (o.moved()) {
                            chunks++;
                            if (o.dropOnly()) {
                                dropped += o.bytes();
                            } else {
                                flushed += o.bytes();
                            }
                        } else if (o.problem() != null) {
                            problem = o.problem();
                        }
                    } catch (FsException e) {
                        problem = e.getMessage();
                        log.warn("evacuation of {}: chunk {}#{}: {}", lender, id.ino(), id.index(), e.getMessage());
                    }
                }
            }
            if (round > 1000 && problem.isEmpty()) {
                problem = "chunks keep changing during their move";
            }
        }
        List<ChunkId> left = space.chunksOn(lender);
        long leftBytes = 0;
        for (ChunkId id : left) {
            leftBytes += space.bytesOf(id);
        }
        if (!left.isEmpty() && problem.isEmpty()) {
            problem = "the deadline passed";
        }
        EvacuationResult r = new EvacuationResult(lender, Duration.between(start, clock.instant()), chunks, dropped,
                flushed, promoted, replicasDropped, left.size(), leftBytes, left.isEmpty() ? "" : problem);
        if (r.complete()) {
            log.info("evacuated {}", r.summary());
        } else {
            log.warn("evacuation incomplete: {}", r.summary());
        }
        return r;
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
            if (lender.equals(replica)) {
                continue; // a replica here is simply dropped
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
        Map<String, Long> replicaHolders = new java.util.TreeMap<>(); // promotion needs no room; no moves planned
        for (LentSpace.LenderUse u : space.lenders()) {
            if (!u.lender().equals(lender) && u.state() != io.tierfs.borrow.lent.SlotState.DOWN) {
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
     */
    private Outcome moveDown(ChunkId id, boolean dirtyPass) {
        boolean dirty = engine.where(id.ino()).stream().filter(p -> p.index() == id.index())
                .anyMatch(p -> p.dirty());
        if (dirty != dirtyPass) {
            return Outcome.notNow(null);
        }
        Optional<MoveTicket> ticket = engine.beginMove(id.ino(), id.index(), lentTier, lentTier + 1);
        if (ticket.isEmpty()) {
            return Outcome.notNow(dirtyPass ? "no durable tier has room for the dirty chunks" : null);
        }
        MoveTicket t = ticket.get();
        try {
            engine.copyForMove(t);
        } catch (FsException e) {
            engine.abortMove(t);
            if (e.errno() == Errno.EAGAIN) {
                return Outcome.notNow(null);
            }
            throw e;
        }
        Optional<SwitchedMove> s = engine.switchMove(t);
        if (s.isEmpty()) {
            return Outcome.notNow(null);
        }
        engine.freeSources(s.get());
        return new Outcome(true, t.dropOnly(), t.length(), null);
    }
}
