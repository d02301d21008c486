package io.tierfs.migration.policy.plan;

/**
 * Why a move exists, in priority order (first = most urgent): a lender taking its memory back cannot wait, a
 * pre-stage has a job's start as deadline, a demotion makes room for writes, a promotion only speeds reads up.
 */
public enum MoveKind {
    RECALL,
    PRESTAGE,
    DEMOTION,
    PROMOTION
}
