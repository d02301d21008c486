package io.tierfs.migration.policy.plan;

/** Move a hot (or pinned) file up from {@code fromTier} to the faster {@code toTier}. */
public record Promotion(long ino, int fromTier, int toTier, long bytes, Reason reason) implements PlannedMove {
    @Override
    public MoveKind kind() {
        return MoveKind.PROMOTION;
    }

    @Override
    public long deadlineMillis() {
        return NO_DEADLINE;
    }
}
