package io.tierfs.migration.policy.explain;

import io.tierfs.migration.policy.plan.PrestageProgress;

import java.util.List;

/** The dry run's answer: per tier, per file, per pre-stage request. Serialisable as is (records of plain data). */
public record Explanation(long policyVersion, long atMillis, List<TierVerdict> tiers, List<FileVerdict> files,
                          List<PrestageProgress> prestages, long bytesToMove) {
    public Explanation {
        tiers = List.copyOf(tiers);
        files = List.copyOf(files);
        prestages = List.copyOf(prestages);
    }
}
