package io.tierfs.migration.policy.plan;

/** Where a pre-stage request stands. */
public enum PrestageState {
    /** No file matched its paths. */
    NOTHING_MATCHED,
    /** Every matched file is on the target tier or a faster one. */
    DONE,
    /** Moves are planned and the estimate meets the deadline (or no rate is known to say otherwise). */
    ON_TRACK,
    /** Moves are planned but the estimated finish is after the deadline. */
    AT_RISK,
    /** The deadline has passed and files are still missing. */
    LATE,
    /** Files are missing and none can be moved (no room on the target, pinned elsewhere, excluded). */
    BLOCKED
}
