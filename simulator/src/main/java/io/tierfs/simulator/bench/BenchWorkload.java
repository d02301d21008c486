package io.tierfs.simulator.bench;

import io.tierfs.simulator.config.WorkloadSpec;
import io.tierfs.simulator.workload.Names;
import io.tierfs.simulator.workload.Op;
import io.tierfs.simulator.workload.Request;
import io.tierfs.simulator.workload.RequestSource;
import io.tierfs.simulator.workload.ZipfWorkload;

import java.util.SplittableRandom;

/**
 * The benchmark's trace content: Zipf-popular (s = 0.9) 1 MiB requests over 20,000 files of up to 16 MiB, 30%
 * of them writes, 20,000 requests per virtual second. Seeded, so every benchmark run replays the same trace.
 */
final class BenchWorkload implements RequestSource {
    private final ZipfWorkload reads = new ZipfWorkload(new WorkloadSpec.Zipf(20_000, 16L << 20, Long.MAX_VALUE / 4,
            0.9, 20_000, 1L << 20, false), 1);
    private final SplittableRandom mix = new SplittableRandom(2);

    @Override
    public boolean next(Request r) {
        if (!reads.next(r)) {
            return false;
        }
        if (mix.nextInt(10) < 3) {
            r.op = Op.WRITE;
        }
        return true;
    }

    @Override
    public Names names() {
        return reads.names();
    }

    @Override
    public double progress() {
        return 0;
    }
}
