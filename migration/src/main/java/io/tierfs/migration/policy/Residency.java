package io.tierfs.migration.policy;

/** Whether the policy may move a file: freely, only to its pinned tier, or not at all. */
public enum Residency {
    /** Demoted and promoted as the watermarks, orders and thresholds say. */
    FREE,
    /** Kept on one tier: moved there if elsewhere, never demoted from it. */
    PINNED,
    /** Never moved by the policy. */
    EXCLUDED
}
