package io.tierfs.migration.policy.plan;

/**
 * Move data off lent memory that its lender takes back (memory-borrow plans these, not the policy); listed here so
 * that one ordering ranks every kind of move.
 */
public record Recall(long ino, int fromTier, int toTier, long bytes, long deadlineMillis, Reason reason)
        implements PlannedMove {
    @Override
    public MoveKind kind() {
        return MoveKind.RECALL;
    }
}
