package io.tierfs.simulator.config;

import java.nio.file.Path;

/** What the simulated applications do: one of the synthetic generators, or a trace replayed from a file. */
public sealed interface WorkloadSpec {

    /** N ranks write {@code bytesPerRank} each every {@code interval}, {@code count} times; restart reads the latest. */
    record Checkpoint(int ranks, long bytesPerRank, long intervalNanos, int count, long block, int keep,
                      boolean restart) implements WorkloadSpec {
    }

    /** A chain of jobs: job k reads job k-1's output files, computes, writes its own. */
    record Workflow(int jobs, int filesPerJob, long fileSize, long block, long computeNanos) implements WorkloadSpec {
    }

    /** Zipf-popular reads of a data set (written first when {@code ingest}), Poisson arrivals at {@code rate}/s. */
    record Zipf(int files, long fileSize, long reads, double exponent, double rate, long readSize, boolean ingest)
            implements WorkloadSpec {
    }

    /** A trace file, streamed. */
    record Trace(Path path, TraceFormat format) implements WorkloadSpec {
    }

    /** The trace formats understood. */
    enum TraceFormat {
        CSV, ECHOFS;

        public static TraceFormat parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "csv" -> CSV;
                case "echofs" -> ECHOFS;
                default -> throw new SimConfigException("unknown trace format '" + s + "' (known: csv, echofs)");
            };
        }
    }
}
