package io.tierfs.simulator.engine;

import io.tierfs.migration.policy.Demotion;
import io.tierfs.migration.policy.DemotionPolicy;
import io.tierfs.migration.policy.FileStat;
import io.tierfs.migration.policy.TierState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The mover in virtual time. It asks the production {@link DemotionPolicy} for a plan only when a tier passes
 * its high watermark (never per request), hands it a bounded candidate list read from the cold end of the tier's
 * LRU list, and carries the plan out as copies that take device time (slowest source tiers first, as the
 * production Mover does). Promotions and recall evacuations are copies of the same kind.
 */
final class SimMover {
    /** After a plan that moved nothing, wait this long before planning again (no plan per request). */
    private static final long QUIET_NANOS = 10_000_000L;
    private final Simulation sim;
    private final DemotionPolicy policy;
    private final boolean lruOnly;
    private boolean pending;
    private long quietUntil;
    private long rounds;

    SimMover(Simulation sim, DemotionPolicy policy) {
        this.sim = sim;
        this.policy = policy;
        this.lruOnly = sim.cfg.victimOrder().kind() == io.tierfs.migration.policy.doc.OrderKind.LRU;
    }

    long rounds() {
        return rounds;
    }

    /** Schedules a plan if tier {@code i} (not the last) is above its high watermark. */
    void check(int i) {
        if (pending || i >= sim.tiers.length - 1) {
            return;
        }
        Tier t = sim.tiers[i];
        if (t.effectiveUsed() > t.high()) {
            pending = true;
            sim.events.schedule(Math.max(sim.now() + sim.cfg.moverDelayNanos(), quietUntil), new SimEvent.MoverRound());
        }
    }

    void round() {
        pending = false;
        rounds++;
        Tier[] tiers = sim.tiers;
        List<TierState> states = new ArrayList<>(tiers.length);
        for (Tier t : tiers) {
            states.add(new TierState(t.index, t.cfg.name(), t.capTotal, t.effectiveUsed(), t.high(), t.low()));
        }
        List<Demotion> plan = new ArrayList<>(policy.plan(states, this::candidates));
        plan.sort(Comparator.comparingInt(Demotion::fromTier).reversed());
        int started = 0;
        for (Demotion d : plan) {
            if (execute(d)) {
                started++;
            }
        }
        if (started == 0) {
            quietUntil = sim.now() + QUIET_NANOS;
        }
        for (int i = 0; i < tiers.length - 1; i++) {
            if (started > 0) {
                check(i);
            }
        }
    }

    /**
     * Victim candidates of tier {@code i}: idle files from the cold end, enough bytes to reach the low watermark
     * for LRU (the policy would pick exactly those); for the other orders up to max-candidates files, which the
     * order then sorts (a sample of the tier when it holds more).
     */
    private List<FileStat> candidates(int i) {
        long need = 0;
        for (int j = 0; j <= i; j++) {
            Tier t = sim.tiers[j];
            need += Math.max(0, t.effectiveUsed() - t.low());
        }
        need = Math.max(need, 1) * 2;
        int max = sim.cfg.maxCandidates();
        List<FileStat> out = new ArrayList<>();
        long sum = 0;
        int steps = 0;
        FileTable F = sim.files;
        for (int f = sim.lru.coldest(i); f >= 0 && out.size() < max && steps < 4 * max; f = sim.lru.warmer(i, f)) {
            steps++;
            if (F.busy[f] != FileTable.IDLE) {
                continue;
            }
            long b = F.bytesOn(f, i);
            if (b == 0) {
                continue;
            }
            out.add(new FileStat(f, b, VirtualClock.millisOf(F.lastAccess[f])));
            sum += b;
            if (lruOnly && sum >= need && out.size() >= 8) {
                break;
            }
        }
        return out;
    }

    private boolean execute(Demotion d) {
        int f = (int) d.ino();
        int from = d.fromTier();
        FileTable F = sim.files;
        if (F.busy[f] != FileTable.IDLE) {
            return false;
        }
        Tier[] tiers = sim.tiers;
        if (F.tier[f] == from) {
            if (!tiers[from].durable() && !F.dirty[f] && F.durTier[f] >= 0) {
                sim.drop(f);
                return true;
            }
            long bytes = F.size[f];
            for (int j = d.toTier(); j < tiers.length; j++) {
                int u = tiers[j].pickUnit(f, bytes, -1);
                if (u >= 0) {
                    start(SimEvent.Kind.DEMOTE, f, from, F.unit[f], j, u, bytes, sim.now());
                    return true;
                }
            }
        } else if (F.durTier[f] == from) {
            long bytes = F.durBytes[f];
            for (int j = d.toTier(); j < tiers.length; j++) {
                int u = tiers[j].durable() ? tiers[j].pickUnit(f, bytes, -1) : -1;
                if (u >= 0) {
                    start(SimEvent.Kind.DURABLE, f, from, F.durUnit[f], j, u, bytes, sim.now());
                    return true;
                }
            }
        }
        return false;
    }

    /** Copies the file up to tier {@code to} if it has room there (never evicts for it: demotion makes room). */
    void promote(int f, int to, long at) {
        FileTable F = sim.files;
        long bytes = F.size[f];
        int u = sim.tiers[to].pickUnit(f, bytes, -1);
        if (u >= 0) {
            start(SimEvent.Kind.PROMOTE, f, F.tier[f], F.unit[f], to, u, bytes, at);
        }
    }

    /** Starts a copy: reserves the target, marks the file busy, schedules its end; returns the end time. */
    long start(SimEvent.Kind kind, int f, int from, int fromUnit, int to, int toUnit, long bytes, long at) {
        FileTable F = sim.files;
        Tier[] tiers = sim.tiers;
        tiers[to].reserve(toUnit, bytes);
        long out = kind == SimEvent.Kind.PROMOTE || to == from ? 0 : bytes;
        tiers[from].outgoing += out;
        F.busy[f] = FileTable.MOVING;
        long done = sim.copy(from, fromUnit, to, toUnit, bytes, f, at);
        sim.events.schedule(done, new SimEvent.MoveDone(new SimEvent.Move(kind, f, from, fromUnit, to, toUnit, bytes,
                F.version[f], F.incarnation[f], out)));
        check(to);
        return done;
    }

    void done(SimEvent.Move m) {
        FileTable F = sim.files;
        Tier[] tiers = sim.tiers;
        int f = m.file();
        F.busy[f] = FileTable.IDLE;
        tiers[m.fromTier()].outgoing -= m.outgoing();
        boolean primary = m.kind() != SimEvent.Kind.DURABLE;
        boolean stillThere = primary ? F.tier[f] == m.fromTier() && F.unit[f] == m.fromUnit()
                : F.durTier[f] == m.fromTier() && F.durUnit[f] == m.fromUnit();
        if (F.incarnation[f] != m.incarnation() || F.version[f] != m.version() || !stillThere) {
            tiers[m.toTier()].release(m.toUnit(), m.bytes());
            sim.aborted++;
            return;
        }
        switch (m.kind()) {
            case DEMOTE, RECALL -> {
                tiers[m.fromTier()].release(m.fromUnit(), F.size[f]);
                if (tiers[m.toTier()].durable()) {
                    sim.releaseDurableCopy(f);
                    F.dirty[f] = false;
                }
                F.tier[f] = (byte) m.toTier();
                F.unit[f] = m.toUnit();
                sim.migDown += m.bytes();
            }
            case DURABLE -> {
                tiers[m.fromTier()].release(m.fromUnit(), F.durBytes[f]);
                F.durTier[f] = (byte) m.toTier();
                F.durUnit[f] = m.toUnit();
                F.durBytes[f] = m.bytes();
                sim.migDown += m.bytes();
            }
            case PROMOTE -> {
                if (tiers[m.fromTier()].durable() && F.durTier[f] < 0 && !tiers[m.toTier()].durable()) {
                    F.durTier[f] = (byte) m.fromTier();
                    F.durUnit[f] = m.fromUnit();
                    F.durBytes[f] = F.size[f];
                } else {
                    tiers[m.fromTier()].release(m.fromUnit(), F.size[f]);
                }
                F.tier[f] = (byte) m.toTier();
                F.unit[f] = m.toUnit();
                F.dirty[f] = false;
                sim.migUp += m.bytes();
            }
            default -> throw new IllegalStateException("unknown move " + m.kind());
        }
        sim.relist(f);
        check(m.toTier());
        check(m.fromTier());
    }
}
