package io.tierfs.migration.policy.plan;

/** Move a file named by pre-stage request {@code requestId} up to its target tier before the deadline. */
public record Prestage(String requestId, long ino, int fromTier, int toTier, long bytes, long deadlineMillis,
                       Reason reason) implements PlannedMove {
    @Override
    public MoveKind kind() {
        return MoveKind.PRESTAGE;
    }
}
