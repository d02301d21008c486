package io.tierfs.simulator.report;

import java.util.List;

/**
 * Everything one simulation run measured. Migration bytes are moved copies (down: demotions, recall
 * evacuations; up: promotions); dropped bytes are clean volatile copies released without I/O; flushed bytes are
 * dirty data copied to a durable tier.
 */
public record RunResult(String name, List<TierResult> tiers, long requests, long ignoredRequests, long readRequests,
                        long readBytes, long writeRequests, long writeBytes, long deletes, long noSpace,
                        long migrationDownBytes, long migrationUpBytes, long droppedBytes, long flushedBytes,
                        long abortedMoves, long moverRounds, long makespanNanos, long sumLatencyNanos,
                        long virtualEndNanos, long events, long wallNanos, List<JobResult> jobs,
                        List<RecallResult> recalls) {

    /** Share of read bytes served by the fastest tier. */
    public double fastestHitRatio() {
        return tiers.isEmpty() ? 0 : tiers.get(0).hitRatioBytes();
    }

    /** Sum of the jobs' I/O times. */
    public long totalJobIoNanos() {
        long s = 0;
        for (JobResult j : jobs) {
            s += j.ioTimeNanos();
        }
        return s;
    }

    /**
     * Application bytes per second of I/O time: the jobs' bytes over the sum of their I/O times (what a
     * checkpoint or a workflow step sees; idle time between bursts does not count).
     */
    public double bandwidth() {
        long t = totalJobIoNanos();
        long b = 0;
        for (JobResult j : jobs) {
            b += j.bytes();
        }
        return t <= 0 ? 0 : b * 1e9 / t;
    }
}
