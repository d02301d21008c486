package io.tierfs.simulator.workload;

import io.tierfs.simulator.config.WorkloadSpec;

/**
 * Checkpoint/restart bursts: every interval, N ranks each write their checkpoint file in blocks (the ranks'
 * blocks interleaved, as concurrent ranks issue them); checkpoints older than the last {@code keep} are deleted
 * first; after the last one a restart job reads the latest checkpoint back. Job k is "ckpt-k".
 */
public final class CheckpointWorkload implements RequestSource {
    private final WorkloadSpec.Checkpoint s;
    private final Names names = new Names();
    private final long blocks;
    private final int[] jobOf;
    private final long total;
    private long emitted;
    private int k;
    private int stage;
    private int rank;
    private long block;

    public CheckpointWorkload(WorkloadSpec.Checkpoint spec) {
        this.s = spec;
        this.blocks = (spec.bytesPerRank() + spec.block() - 1) / spec.block();
        this.jobOf = new int[spec.count() + 1];
        for (int i = 0; i < spec.count(); i++) {
            jobOf[i] = names.addJob("ckpt-" + i);
        }
        jobOf[spec.count()] = spec.restart() ? names.addJob("restart") : -1;
        long deletes = (long) Math.max(0, spec.count() - spec.keep()) * spec.ranks();
        this.total = (long) spec.count() * spec.ranks() * blocks + deletes
                + (spec.restart() ? (long) spec.ranks() * blocks : 0);
    }

    /** File id of rank {@code r}'s checkpoint {@code k}. */
    public int file(int ckpt, int r) {
        return ckpt * s.ranks() + r;
    }

    @Override
    public boolean next(Request r) {
        while (true) {
            if (k > s.count() || (k == s.count() && !s.restart())) {
                return false;
            }
            long t = k * s.intervalNanos();
            if (k < s.count() && stage == 0) {
                int old = k - s.keep();
                if (old >= 0 && rank < s.ranks()) {
                    r.set(t, Op.DELETE, file(old, rank), 0, 0, jobOf[k]);
                    rank++;
                    emitted++;
                    return true;
                }
                stage = 1;
                rank = 0;
                block = 0;
            }
            if (block < blocks) {
                long off = block * s.block();
                long len = Math.min(s.block(), s.bytesPerRank() - off);
                if (k < s.count()) {
                    r.set(t, Op.WRITE, file(k, rank), off, len, jobOf[k]);
                } else {
                    r.set(t, Op.READ, file(s.count() - 1, rank), off, len, jobOf[k]);
                }
                if (++rank == s.ranks()) {
                    rank = 0;
                    block++;
                }
                emitted++;
                return true;
            }
            k++;
            stage = 0;
            rank = 0;
            block = 0;
        }
    }

    @Override
    public Names names() {
        return names;
    }

    @Override
    public double progress() {
        return total == 0 ? 1 : (double) emitted / total;
    }
}
