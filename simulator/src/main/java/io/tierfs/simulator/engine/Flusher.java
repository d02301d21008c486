package io.tierfs.simulator.engine;

import java.util.Arrays;

/**
 * TierEngine's flusher in virtual time: data on a volatile tier becomes dirty when written and is copied to a
 * durable tier once it has been dirty for half the flush interval. Dirty files wait in a FIFO by the time they
 * became dirty, so a flush event looks only at the files that are due (no periodic scan of all files). A file
 * written during its copy stays dirty and is copied again.
 */
final class Flusher {
    private final Simulation sim;
    private final long age;
    private int[] qFile = new int[1024];
    private long[] qSince = new long[1024];
    private int head;
    private int count;
    private boolean scheduled;
    private boolean inDue;

    Flusher(Simulation sim) {
        this.sim = sim;
        this.age = Math.max(1, sim.cfg.flushIntervalNanos() / 2);
    }

    void enqueue(int f, long since) {
        if (count == qFile.length) {
            int[] nf = new int[count * 2];
            long[] ns = new long[count * 2];
            for (int i = 0; i < count; i++) {
                nf[i] = qFile[(head + i) % qFile.length];
                ns[i] = qSince[(head + i) % qFile.length];
            }
            qFile = nf;
            qSince = ns;
            head = 0;
        }
        int at = (head + count) % qFile.length;
        qFile[at] = f;
        qSince[at] = since;
        count++;
        if (!scheduled && !inDue) {
            schedule(Math.max(sim.now(), since + age));
        }
    }

    private void schedule(long at) {
        scheduled = true;
        sim.events.schedule(at, new SimEvent.FlushDue());
    }

    void due() {
        scheduled = false;
        inDue = true;
        long now = sim.now();
        FileTable F = sim.files;
        int budget = count;
        boolean retry = false;
        while (count > 0 && budget-- > 0) {
            int f = qFile[head];
            long since = qSince[head];
            if (F.tier[f] < 0 || !F.dirty[f] || F.dirtySince[f] != since) {
                pop();
                continue;
            }
            if (since + age > now) {
                break;
            }
            pop();
            if (F.busy[f] != FileTable.IDLE || !flush(f, now)) {
                enqueue(f, since);
                retry = true;
            }
        }
        inDue = false;
        if (count > 0 && !scheduled) {
            long next = retry ? now + Math.max(1_000_000L, age / 8) : Math.max(now, qSince[head] + age);
            schedule(next);
        }
    }

    private void pop() {
        head = (head + 1) % qFile.length;
        count--;
    }

    /** Starts copying {@code f} to a durable tier; false if none has room. */
    private boolean flush(int f, long now) {
        FileTable F = sim.files;
        Tier[] tiers = sim.tiers;
        long bytes = F.size[f];
        int tt = -1;
        int tu = -1;
        long reserve = bytes;
        int d = F.durTier[f];
        if (d >= 0 && tiers[d].fits(F.durUnit[f], Math.max(0, bytes - F.durBytes[f]))) {
            tt = d;
            tu = F.durUnit[f];
            reserve = Math.max(0, bytes - F.durBytes[f]);
        } else {
            for (int j = F.tier[f] + 1; j < tiers.length && tt < 0; j++) {
                if (tiers[j].durable()) {
                    int u = tiers[j].pickUnit(f, bytes, -1);
                    if (u >= 0) {
                        tt = j;
                        tu = u;
                    }
                }
            }
        }
        if (tt < 0) {
            return false;
        }
        tiers[tt].reserve(tu, reserve);
        F.busy[f] = FileTable.FLUSHING;
        long done = sim.copy(F.tier[f], F.unit[f], tt, tu, bytes, f, now);
        sim.events.schedule(done, new SimEvent.FlushDone(new SimEvent.Flush(f, tt, tu, bytes, reserve, F.version[f],
                F.incarnation[f])));
        sim.mover.check(tt);
        return true;
    }

    void done(SimEvent.Flush fl) {
        FileTable F = sim.files;
        Tier[] tiers = sim.tiers;
        int f = fl.file();
        F.busy[f] = FileTable.IDLE;
        if (F.incarnation[f] != fl.incarnation() || F.tier[f] < 0 || tiers[F.tier[f]].durable()) {
            tiers[fl.toTier()].release(fl.toUnit(), fl.reserved());
            return;
        }
        if (F.durTier[f] == fl.toTier() && F.durUnit[f] == fl.toUnit() && fl.reserved() != fl.bytes()) {
            F.durBytes[f] = fl.bytes();
        } else {
            sim.releaseDurableCopy(f);
            F.durTier[f] = (byte) fl.toTier();
            F.durUnit[f] = fl.toUnit();
            F.durBytes[f] = fl.bytes();
        }
        sim.flushed += fl.bytes();
        if (F.version[f] == fl.version()) {
            F.dirty[f] = false;
        } else {
            enqueue(f, F.dirtySince[f]);
        }
        sim.relist(f);
    }

    /** Files still waiting (for tests and the end-of-run report). */
    int waiting() {
        return count;
    }

    @Override
    public String toString() {
        return "Flusher" + Arrays.toString(Arrays.copyOf(qFile, Math.min(count, 8)));
    }
}
