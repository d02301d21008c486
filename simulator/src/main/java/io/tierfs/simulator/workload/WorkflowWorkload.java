package io.tierfs.simulator.workload;

import io.tierfs.simulator.config.WorkloadSpec;

/**
 * A workflow: job k starts when job k-1 has finished, reads job k-1's output files (job 0 reads a pre-existing
 * input data set), computes for {@code computeNanos}, then writes its own output. Files' blocks are interleaved,
 * as a job's processes read and write them concurrently.
 */
public final class WorkflowWorkload implements RequestSource {
    private final WorkloadSpec.Workflow s;
    private final Names names = new Names();
    private final long blocks;
    private final long total;
    private long emitted;
    private int job;
    private boolean writing;
    private int file;
    private long block;

    public WorkflowWorkload(WorkloadSpec.Workflow spec) {
        this.s = spec;
        this.blocks = (spec.fileSize() + spec.block() - 1) / spec.block();
        for (int i = 0; i < spec.jobs(); i++) {
            names.addJob("step-" + i);
        }
        this.total = 2L * spec.jobs() * spec.filesPerJob() * blocks;
    }

    /** The output files of job k are k*F..k*F+F-1; the initial input is jobs*F.. . */
    private int inputFile(int j, int i) {
        return (j == 0 ? s.jobs() : j - 1) * s.filesPerJob() + i;
    }

    @Override
    public boolean next(Request r) {
        if (job >= s.jobs()) {
            return false;
        }
        long off = block * s.block();
        long len = Math.min(s.block(), s.fileSize() - off);
        boolean first = file == 0 && block == 0;
        if (!writing) {
            r.set(0, Op.READ, inputFile(job, file), off, len, job).after(job == 0 ? -1 : job - 1, 0, first);
            if (job == 0) {
                r.afterJob = -1;
            }
        } else {
            r.set(0, Op.WRITE, job * s.filesPerJob() + file, off, len, job).after(job, s.computeNanos(), first);
        }
        if (++file == s.filesPerJob()) {
            file = 0;
            if (++block == blocks) {
                block = 0;
                if (writing) {
                    job++;
                }
                writing = !writing;
            }
        }
        emitted++;
        return true;
    }

    @Override
    public Names names() {
        return names;
    }

    @Override
    public double progress() {
        return (double) emitted / total;
    }
}
