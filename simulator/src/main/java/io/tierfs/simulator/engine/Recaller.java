package io.tierfs.simulator.engine;

import io.tierfs.simulator.config.LenderJob;
import io.tierfs.simulator.config.LenderStep;
import io.tierfs.simulator.report.RecallResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Lenders whose lendable memory changes over time. When a lender's memory shrinks below what the DRAM tier holds
 * on it, its data is evacuated as DESIGN.md's recall says: clean data (with a durable copy) is dropped at once,
 * dirty data is moved to another lender with room or else flushed down to a durable tier. The recall time is the
 * time until the last of those copies ends.
 */
final class Recaller {
    private final Simulation sim;
    private final int tier;
    private final long[] base;
    private final long[] jobMemory;
    private final List<RecallResult> results = new ArrayList<>();

    Recaller(Simulation sim) {
        this.sim = sim;
        this.tier = sim.cfg.lenderTier();
        int units = tier < 0 ? 0 : sim.tiers[tier].units();
        this.base = new long[units];
        this.jobMemory = new long[units];
        for (int u = 0; u < units; u++) {
            base[u] = sim.tiers[tier].cap[u];
        }
    }

    void scheduleAll() {
        for (LenderStep s : sim.cfg.lenderSchedule()) {
            sim.events.schedule(s.atNanos(), new SimEvent.LenderChange(s.unit(), s.capacityBytes(), 0, "schedule"));
        }
        for (LenderJob j : sim.cfg.lenderJobs()) {
            sim.events.schedule(j.startNanos(), new SimEvent.LenderChange(j.unit(), -1, j.memoryBytes(), "job start"));
            sim.events.schedule(j.endNanos(), new SimEvent.LenderChange(j.unit(), -1, -j.memoryBytes(), "job end"));
        }
    }

    List<RecallResult> results() {
        return results;
    }

    void apply(SimEvent.LenderChange c) {
        if (tier < 0) {
            return;
        }
        int u = c.unit();
        if (c.baseCapacity() >= 0) {
            base[u] = c.baseCapacity();
        }
        jobMemory[u] += c.jobMemoryDelta();
        Tier t = sim.tiers[tier];
        long lendable = Math.max(0, base[u] - jobMemory[u]);
        t.setCapacity(u, lendable);
        if (t.used[u] > lendable) {
            recall(u, t.used[u] - lendable, c.cause());
        }
    }

    private void recall(int u, long need, String cause) {
        long now = sim.now();
        FileTable F = sim.files;
        Tier[] tiers = sim.tiers;
        Tier t = tiers[tier];
        long dropped = 0;
        long moved = 0;
        long flushed = 0;
        long freed = 0;
        long end = now;
        int f = sim.lru.coldest(tier);
        while (f >= 0 && freed < need) {
            int next = sim.lru.warmer(tier, f);
            if (F.tier[f] == tier && F.unit[f] == u && F.busy[f] == FileTable.IDLE) {
                long b = F.size[f];
                if (!F.dirty[f] && F.durTier[f] >= 0) {
                    sim.drop(f);
                    dropped += b;
                    freed += b;
                } else {
                    int other = t.pickUnit(f, b, u);
                    if (other >= 0) {
                        end = Math.max(end, sim.mover.start(SimEvent.Kind.RECALL, f, tier, u, tier, other, b, now));
                        moved += b;
                        freed += b;
                    } else {
                        for (int j = tier + 1; j < tiers.length; j++) {
                            int ju = tiers[j].durable() ? tiers[j].pickUnit(f, b, -1) : -1;
                            if (ju >= 0) {
                                end = Math.max(end, sim.mover.start(SimEvent.Kind.RECALL, f, tier, u, j, ju, b, now));
                                flushed += b;
                                freed += b;
                                break;
                            }
                        }
                    }
                }
            }
            f = next;
        }
        results.add(new RecallResult(now, u, cause, need, dropped, moved, flushed, end - now, freed >= need));
    }
}
