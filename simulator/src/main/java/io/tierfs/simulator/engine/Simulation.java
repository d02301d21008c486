package io.tierfs.simulator.engine;

import io.tierfs.migration.policy.DemotionPolicy;
import io.tierfs.migration.policy.FileInfo;
import io.tierfs.migration.policy.Heat;
import io.tierfs.simulator.config.SimConfig;
import io.tierfs.simulator.config.TierConfig;
import io.tierfs.simulator.policy.Policies;
import io.tierfs.simulator.policy.PromotionPolicy;
import io.tierfs.simulator.report.JobResult;
import io.tierfs.simulator.report.RunResult;
import io.tierfs.simulator.report.TierResult;
import io.tierfs.simulator.workload.Names;
import io.tierfs.simulator.workload.Request;
import io.tierfs.simulator.workload.RequestSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One run of a workload over a tier configuration in virtual time. Requests stream in from the source in arrival
 * order and are merged with the internal events (mover rounds, copies finishing, flushes, lender changes): every
 * event due at or before a request's arrival runs first. The data path mirrors TierEngine: a new file lands on the
 * fastest tier with room; a growing file whose tier is full is relocated down at once; data on a volatile tier is
 * dirty until the flusher copies it to a durable tier; a clean volatile copy is dropped, not copied, when demoted.
 * <p>
 * Modelling choices (docs/simulator.md): placement and migration are per file, not per chunk; data read before
 * it was ever written existed before the run on the slowest tier; a copy started for a file that is written to or
 * deleted before the copy ends is abandoned (TierEngine's EAGAIN), its time spent.
 */
public final class Simulation {
    final SimConfig cfg;
    final String name;
    final VirtualClock clock = new VirtualClock();
    final EventQueue events = new EventQueue();
    final FileTable files = new FileTable();
    final LruLists lru;
    final Tier[] tiers;
    final PromotionPolicy promotion;
    final SimMover mover;
    final Flusher flusher;
    final Recaller recaller;

    private long[] jobReq = new long[16];
    private long[] jobBytes = new long[16];
    private long[] jobFirst = filled(16);
    private long[] jobLast = new long[16];
    private long[] jobLat = new long[16];
    private long phaseStart;

    long requests;
    long ignored;
    long readReq;
    long readBytes;
    long writeReq;
    long writeBytes;
    long deletes;
    long noSpace;
    long preexisting;
    long migDown;
    long migUp;
    long dropped;
    long flushed;
    long aborted;
    long makespan;
    long sumLatency;

    public Simulation(SimConfig cfg, String name) {
        this.cfg = cfg;
        this.name = name;
        List<TierConfig> tc = cfg.tiers();
        this.tiers = new Tier[tc.size()];
        for (int i = 0; i < tiers.length; i++) {
            tiers[i] = new Tier(i, tc.get(i), cfg.network());
        }
        this.lru = new LruLists(tiers.length);
        DemotionPolicy demotion = Policies.demotion(cfg.victimOrder(), clock, this::facts);
        this.promotion = Policies.promotion(cfg.promotion());
        this.mover = new SimMover(this, demotion);
        this.flusher = new Flusher(this);
        this.recaller = new Recaller(this);
    }

    private static long[] filled(int n) {
        long[] a = new long[n];
        Arrays.fill(a, Long.MAX_VALUE);
        return a;
    }

    /** Runs {@code src} to its end and until every copy it caused has finished. */
    public RunResult run(RequestSource src, ProgressListener progress) {
        long wall = System.nanoTime();
        recaller.scheduleAll();
        Request r = new Request();
        while (src.next(r)) {
            long t = r.timeNanos;
            if (r.barrier) {
                long ready = r.afterJob >= 0 && r.afterJob < jobLast.length ? jobLast[r.afterJob] : 0;
                phaseStart = Math.max(clock.nanos(), ready + r.gapNanos);
            }
            if (r.afterJob >= 0 || r.barrier) {
                t = phaseStart + r.timeNanos;
            }
            if (t < clock.nanos()) {
                t = clock.nanos();
            }
            runEventsUntil(t);
            clock.advanceTo(t);
            handle(r, t);
            if ((++requests & 0xFFFF) == 0) {
                progress.progress(src.progress());
            }
        }
        runEventsUntil(Long.MAX_VALUE);
        progress.progress(1.0);
        return result(src.names(), System.nanoTime() - wall);
    }

    /** What the policy engine's victim orders see of file {@code f} (no path, owner or xattrs in a simulation). */
    private FileInfo facts(long ino) {
        int f = (int) ino;
        FileTable F = files;
        if (f < 0 || f >= F.capacity()) {
            return null;
        }
        int ti = Math.max(0, F.tier[f]);
        return new FileInfo(f, "", F.size[f], F.size[f], 0, 0, VirtualClock.millisOf(F.lastWrite[f]),
                VirtualClock.millisOf(F.lastAccess[f]), new Heat(F.heat[f], F.heatAtMillis[f]), F.accesses[f],
                java.util.Map.of(), ti);
    }

    /**
     * The tier holding file {@code file}'s primary copy now (after {@link #run}: at the end), or null when it has
     * none (never written, or deleted). Lets a test compare the simulator's placement with a real node's.
     */
    public String primaryTierOf(int file) {
        if (file < 0 || file >= files.capacity() || files.tier[file] < 0) {
            return null;
        }
        return tiers[files.tier[file]].cfg.name();
    }

    private void runEventsUntil(long t) {
        while (!events.isEmpty() && events.nextTime() <= t) {
            long at = events.nextTime();
            clock.advanceTo(at);
            SimEvent e = events.pop();
            if (e instanceof SimEvent.MoveDone m) {
                mover.done(m.move());
            } else if (e instanceof SimEvent.FlushDone f) {
                flusher.done(f.flush());
            } else if (e instanceof SimEvent.FlushDue) {
                flusher.due();
            } else if (e instanceof SimEvent.MoverRound) {
                mover.round();
            } else if (e instanceof SimEvent.LenderChange c) {
                recaller.apply(c);
            }
        }
    }

    private void handle(Request r, long t) {
        long done;
        switch (r.op) {
            case OTHER -> {
                ignored++;
                return;
            }
            case DELETE -> {
                delete(r.file);
                deletes++;
                done = t;
            }
            case WRITE -> {
                done = write(r.file, r.offset, r.size, t);
                writeReq++;
                writeBytes += r.size;
            }
            case READ -> {
                done = read(r.file, r.offset, r.size, t);
            }
            default -> throw new IllegalStateException("unknown op " + r.op);
        }
        int j = r.job;
        if (j >= jobReq.length) {
            growJobs(j);
        }
        jobReq[j]++;
        if (r.op != io.tierfs.simulator.workload.Op.DELETE) {
            jobBytes[j] += r.size;
        }
        if (t < jobFirst[j]) {
            jobFirst[j] = t;
        }
        if (done > jobLast[j]) {
            jobLast[j] = done;
        }
        jobLat[j] += done - t;
        sumLatency += done - t;
        if (done > makespan) {
            makespan = done;
        }
    }

    private void growJobs(int j) {
        int n = Math.max(j + 1, jobReq.length * 2);
        int old = jobFirst.length;
        jobReq = Arrays.copyOf(jobReq, n);
        jobBytes = Arrays.copyOf(jobBytes, n);
        jobFirst = Arrays.copyOf(jobFirst, n);
        Arrays.fill(jobFirst, old, n, Long.MAX_VALUE);
        jobLast = Arrays.copyOf(jobLast, n);
        jobLat = Arrays.copyOf(jobLat, n);
    }

    private void ensure(int f) {
        if (files.ensure(f)) {
            lru.grow(files.capacity());
        }
    }

    long write(int f, long off, long len, long t) {
        ensure(f);
        FileTable F = files;
        long end = off + len;
        int ti = F.tier[f];
        long start = t;
        if (ti < 0) {
            for (int i = 0; i < tiers.length; i++) {
                int u = tiers[i].pickUnit(f, end, -1);
                if (u >= 0) {
                    ti = i;
                    tiers[i].reserve(u, end);
                    F.tier[f] = (byte) i;
                    F.unit[f] = u;
                    F.size[f] = end;
                    break;
                }
            }
            if (ti < 0) {
                noSpace++;
                return t;
            }
            mover.check(ti);
        } else if (end > F.size[f]) {
            Tier T = tiers[ti];
            long delta = end - F.size[f];
            if (T.fits(F.unit[f], delta)) {
                T.reserve(F.unit[f], delta);
                F.size[f] = end;
                mover.check(ti);
            } else {
                start = relocate(f, end, t);
                if (start < 0) {
                    noSpace++;
                    return t;
                }
                ti = F.tier[f];
            }
        }
        Tier T = tiers[ti];
        long done = T.io(F.unit[f], start, len, true, f, off);
        T.writeReq++;
        T.writeBytes += len;
        F.version[f]++;
        F.lastWrite[f] = t;
        touch(f, t);
        if (!T.durable() && !F.dirty[f]) {
            F.dirty[f] = true;
            F.dirtySince[f] = t;
            flusher.enqueue(f, t);
        }
        return done;
    }

    /** TierEngine's relocateForGrowth: the file's tier is full, copy it now to the first slower tier with room. */
    private long relocate(int f, long newSize, long t) {
        FileTable F = files;
        int from = F.tier[f];
        for (int j = from + 1; j < tiers.length; j++) {
            int u = tiers[j].pickUnit(f, newSize, -1);
            if (u < 0) {
                continue;
            }
            tiers[j].reserve(u, newSize);
            long old = F.size[f];
            long done = copy(from, F.unit[f], j, u, old, f, t);
            tiers[from].release(F.unit[f], F.size[f]);
            if (tiers[j].durable()) {
                releaseDurableCopy(f);
                F.dirty[f] = false;
            }
            F.tier[f] = (byte) j;
            F.unit[f] = u;
            F.size[f] = newSize;
            F.version[f]++;
            migDown += old;
            relist(f);
            mover.check(j);
            return done;
        }
        return -1;
    }

    long read(int f, long off, long len, long t) {
        ensure(f);
        FileTable F = files;
        int ti = F.tier[f];
        if (ti < 0) {
            ti = tiers.length - 1;
            Tier L = tiers[ti];
            long sz = off + len;
            int u = L.pickUnit(f, sz, -1);
            L.reserve(u < 0 ? L.home(f) : u, sz);
            F.tier[f] = (byte) ti;
            F.unit[f] = u < 0 ? L.home(f) : u;
            F.size[f] = sz;
            preexisting++;
        }
        Tier T = tiers[ti];
        long done = T.io(F.unit[f], t, len, false, f, off);
        T.readReq++;
        T.readBytes += len;
        readReq++;
        readBytes += len;
        long previous = F.lastAccess[f];
        touch(f, t);
        if (ti > 0 && F.busy[f] == FileTable.IDLE) {
            int target = promotion.promoteTo(f, ti, VirtualClock.millisOf(previous));
            if (target >= 0 && target < ti) {
                mover.promote(f, target, done);
            }
        }
        return done;
    }

    void delete(int f) {
        if (f >= files.capacity() || files.tier[f] < 0) {
            return;
        }
        FileTable F = files;
        tiers[F.tier[f]].release(F.unit[f], F.size[f]);
        lru.remove(F.tier[f], f);
        releaseDurableCopy(f);
        F.tier[f] = -1;
        F.size[f] = 0;
        F.dirty[f] = false;
        F.version[f]++;
        F.incarnation[f]++;
    }

    void releaseDurableCopy(int f) {
        FileTable F = files;
        int d = F.durTier[f];
        if (d >= 0) {
            tiers[d].release(F.durUnit[f], F.durBytes[f]);
            F.durTier[f] = -1;
            F.durBytes[f] = 0;
            if (F.tier[f] != d) {
                lru.remove(d, f);
            }
        }
    }

    /** Drops a clean volatile primary that has a durable copy: the copy becomes the primary, no I/O. */
    void drop(int f) {
        FileTable F = files;
        int from = F.tier[f];
        tiers[from].release(F.unit[f], F.size[f]);
        dropped += F.size[f];
        F.tier[f] = F.durTier[f];
        F.unit[f] = F.durUnit[f];
        F.size[f] = F.durBytes[f];
        F.durTier[f] = -1;
        F.durBytes[f] = 0;
        lru.remove(from, f);
        relist(f);
    }

    private void touch(int f, long t) {
        files.lastAccess[f] = t;
        files.accesses[f]++;
        long ms = VirtualClock.millisOf(t);
        files.heat[f] = Heat.decay(files.heat[f], ms - files.heatAtMillis[f], cfg.victimOrder().halfLifeMillis()) + 1;
        files.heatAtMillis[f] = ms;
        int ti = files.tier[f];
        if (ti >= 0) {
            lru.touch(ti, f);
        }
        int d = files.durTier[f];
        if (d >= 0) {
            lru.touch(d, f);
        }
    }

    /** Puts {@code f} in exactly the lists of the tiers it has bytes on. */
    void relist(int f) {
        for (int t = 0; t < tiers.length; t++) {
            boolean should = files.tier[f] == t || files.durTier[f] == t;
            boolean is = lru.contains(t, f);
            if (should && !is) {
                lru.insertByAge(t, f, files.lastAccess);
            } else if (!should && is) {
                lru.remove(t, f);
            }
        }
    }

    /** Copies {@code bytes} of {@code f} between units, starting at {@code at}; returns when the copy is done. */
    long copy(int from, int fromUnit, int to, int toUnit, long bytes, int f, long at) {
        long read = tiers[from].io(fromUnit, at, bytes, false, f, 0);
        tiers[from].migReadBytes += bytes;
        long done = tiers[to].io(toUnit, read, bytes, true, f, 0);
        tiers[to].migWriteBytes += bytes;
        return done;
    }

    long now() {
        return clock.nanos();
    }

    private RunResult result(Names names, long wallNanos) {
        List<TierResult> tr = new ArrayList<>();
        for (Tier t : tiers) {
            tr.add(new TierResult(t.cfg.name(), t.cfg.kind().name().toLowerCase(java.util.Locale.ROOT), t.capTotal,
                    t.peakUsed, t.readReq, t.readBytes, t.writeReq, t.writeBytes, t.migReadBytes, t.migWriteBytes,
                    t.busyNanosSum() / t.units(), readBytes == 0 ? 0 : (double) t.readBytes / readBytes,
                    readReq == 0 ? 0 : (double) t.readReq / readReq));
        }
        List<JobResult> jobs = new ArrayList<>();
        for (int j = 0; j < jobReq.length; j++) {
            if (jobReq[j] > 0) {
                jobs.add(new JobResult(names.job(j), jobReq[j], jobBytes[j], jobFirst[j], jobLast[j], jobLat[j]));
            }
        }
        return new RunResult(name, List.copyOf(tr), requests, ignored, readReq, readBytes, writeReq, writeBytes,
                deletes, noSpace, migDown, migUp, dropped, flushed, aborted, mover.rounds(), makespan, sumLatency,
                clock.nanos(), requests + events.processed(), wallNanos, List.copyOf(jobs),
                List.copyOf(recaller.results()));
    }
}
