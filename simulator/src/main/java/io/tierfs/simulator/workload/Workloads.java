package io.tierfs.simulator.workload;

import io.tierfs.simulator.config.WorkloadSpec;
import io.tierfs.simulator.trace.CsvTraceSource;
import io.tierfs.simulator.trace.EchoFsTraceSource;

/** Opens a fresh request stream for a workload; every run (and baseline) gets its own, identical one. */
public final class Workloads {
    private Workloads() {
    }

    public static RequestSource open(WorkloadSpec spec, long seed) {
        if (spec instanceof WorkloadSpec.Checkpoint c) {
            return new CheckpointWorkload(c);
        }
        if (spec instanceof WorkloadSpec.Workflow w) {
            return new WorkflowWorkload(w);
        }
        if (spec instanceof WorkloadSpec.Zipf z) {
            return new ZipfWorkload(z, seed);
        }
        WorkloadSpec.Trace t = (WorkloadSpec.Trace) spec;
        return switch (t.format()) {
            case CSV -> new CsvTraceSource(t.path());
            case ECHOFS -> new EchoFsTraceSource(t.path());
        };
    }

    /** One line describing the workload, for reports. */
    public static String describe(WorkloadSpec spec) {
        if (spec instanceof WorkloadSpec.Checkpoint c) {
            return String.format("checkpoint: %d ranks x %d MiB every %.0f s, %d times, keep %d%s", c.ranks(),
                    c.bytesPerRank() >> 20, c.intervalNanos() / 1e9, c.count(), c.keep(), c.restart() ? ", then restart" : "");
        }
        if (spec instanceof WorkloadSpec.Workflow w) {
            return String.format("workflow: %d jobs x %d files x %d MiB, compute %.0f s", w.jobs(), w.filesPerJob(),
                    w.fileSize() >> 20, w.computeNanos() / 1e9);
        }
        if (spec instanceof WorkloadSpec.Zipf z) {
            return String.format("zipf: %d files x %d MiB, %d reads of %d KiB, s=%.2f, %.0f/s%s", z.files(),
                    z.fileSize() >> 20, z.reads(), z.readSize() >> 10, z.exponent(), z.rate(), z.ingest() ? ", ingest first" : "");
        }
        WorkloadSpec.Trace t = (WorkloadSpec.Trace) spec;
        return "trace: " + t.path() + " (" + t.format().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
