package io.tierfs.migration.policy.plan;

/**
 * One file's bytes to move from one tier to another, with why and how urgent. The live mover turns each into
 * chunk moves; the simulator into device time.
 */
public sealed interface PlannedMove permits DemotionMove, Promotion, Prestage, Recall {
    long NO_DEADLINE = Long.MAX_VALUE;

    MoveKind kind();

    long ino();

    int fromTier();

    int toTier();

    long bytes();

    /** When the move must be done by (recall, pre-stage); {@link #NO_DEADLINE} otherwise. */
    long deadlineMillis();

    Reason reason();
}
