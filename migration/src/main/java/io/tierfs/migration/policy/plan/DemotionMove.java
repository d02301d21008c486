package io.tierfs.migration.policy.plan;

import io.tierfs.migration.policy.Demotion;

/** A demotion as planned: the existing {@link Demotion} record (what the Mover executes) and why. */
public record DemotionMove(Demotion demotion, Reason reason) implements PlannedMove {
    @Override
    public MoveKind kind() {
        return MoveKind.DEMOTION;
    }

    @Override
    public long ino() {
        return demotion.ino();
    }

    @Override
    public int fromTier() {
        return demotion.fromTier();
    }

    @Override
    public int toTier() {
        return demotion.toTier();
    }

    @Override
    public long bytes() {
        return demotion.bytes();
    }

    @Override
    public long deadlineMillis() {
        return NO_DEADLINE;
    }
}
