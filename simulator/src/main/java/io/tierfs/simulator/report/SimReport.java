package io.tierfs.simulator.report;

import io.tierfs.simulator.baseline.BeladyResult;

import java.util.List;

/**
 * A whole simulation: the configured tiers' run first, then the baseline runs, and the offline optimum of the
 * fastest tier when asked for (null otherwise).
 */
public record SimReport(String workload, long seed, List<RunResult> runs, BeladyResult belady) {

    public RunResult main() {
        return runs.get(0);
    }

    /** Baseline's summed job I/O time over the tiered one (greater than 1: the tiers are faster). */
    public double speedupOver(RunResult baseline) {
        return main().totalJobIoNanos() == 0 ? 0 : (double) baseline.totalJobIoNanos() / main().totalJobIoNanos();
    }

    /** Tiered bandwidth over the baseline's. */
    public double bandwidthRatio(RunResult baseline) {
        return baseline.bandwidth() == 0 ? 0 : main().bandwidth() / baseline.bandwidth();
    }
}
