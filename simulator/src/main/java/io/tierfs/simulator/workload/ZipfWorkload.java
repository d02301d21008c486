package io.tierfs.simulator.workload;

import io.tierfs.simulator.config.WorkloadSpec;

import java.util.SplittableRandom;

/**
 * Analytics over a data set with Zipf popularity: an ingest job writes the files (optional; otherwise they exist
 * on the slowest tier before the run), then an analytics job reads {@code readSize} pieces of Zipf-chosen files
 * with Poisson arrivals, starting when the ingest has completed. Seeded: same seed, same requests.
 */
public final class ZipfWorkload implements RequestSource {
    private final WorkloadSpec.Zipf s;
    private final Names names = new Names();
    private final SplittableRandom rnd;
    private final ZipfSampler zipf;
    private final int ingestJob;
    private final int readJob;
    private final long blocks;
    private final long piecesPerFile;
    private final long total;
    private long emitted;
    private int file;
    private long block;
    private long reads;
    private double clockSeconds;

    public ZipfWorkload(WorkloadSpec.Zipf spec, long seed) {
        this.s = spec;
        this.rnd = new SplittableRandom(seed);
        this.zipf = new ZipfSampler(spec.files(), spec.exponent(), rnd.split());
        this.ingestJob = spec.ingest() ? names.addJob("ingest") : -1;
        this.readJob = names.addJob("analytics");
        this.blocks = spec.ingest() ? (spec.fileSize() + (4L << 20) - 1) / (4L << 20) : 0;
        this.piecesPerFile = Math.max(1, spec.fileSize() / spec.readSize());
        this.total = spec.files() * blocks + spec.reads();
    }

    @Override
    public boolean next(Request r) {
        if (file < s.files() && blocks > 0) {
            long off = block * (4L << 20);
            r.set(0, Op.WRITE, file, off, Math.min(4L << 20, s.fileSize() - off), ingestJob);
            if (++file == s.files()) {
                if (++block < blocks) {
                    file = 0;
                }
            }
            emitted++;
            return true;
        }
        if (reads >= s.reads()) {
            return false;
        }
        clockSeconds += -Math.log(1.0 - rnd.nextDouble()) / s.rate();
        int f = zipf.sample(rnd.nextDouble());
        long off = rnd.nextLong(piecesPerFile) * s.readSize();
        r.set((long) (clockSeconds * 1e9), Op.READ, f, off, Math.min(s.readSize(), s.fileSize() - off), readJob);
        if (ingestJob >= 0) {
            r.after(ingestJob, 0, reads == 0);
        }
        reads++;
        emitted++;
        return true;
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
