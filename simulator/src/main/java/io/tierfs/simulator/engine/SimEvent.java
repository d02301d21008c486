package io.tierfs.simulator.engine;

/**
 * What happens in the simulation besides application requests (which stream in from the workload and are
 * never queued). Few compared with requests, so they are plain records.
 */
sealed interface SimEvent {

    /** A tier passed its high watermark: ask the demotion policy for a plan. */
    record MoverRound() implements SimEvent {
    }

    /** A copy started by the mover, a promotion or a recall has finished. */
    record MoveDone(Move move) implements SimEvent {
    }

    /** The oldest dirty data may have reached the flush age. */
    record FlushDue() implements SimEvent {
    }

    /** A copy of dirty data to a durable tier has finished. */
    record FlushDone(Flush flush) implements SimEvent {
    }

    /** A lender's lendable memory changes (schedule, or a job of its own starting or ending). */
    record LenderChange(int unit, long baseCapacity, long jobMemoryDelta, String cause) implements SimEvent {
    }

    /** What a copy moves: the primary or the durable copy of a file; demotions, promotions and recalls. */
    enum Kind { DEMOTE, DURABLE, PROMOTE, RECALL }

    /** One copy in flight. {@code incarnation} and {@code version} tell whether the file changed meanwhile. */
    record Move(Kind kind, int file, int fromTier, int fromUnit, int toTier, int toUnit, long bytes, int version,
                int incarnation, long outgoing) {
    }

    /** One flush in flight; {@code reserved} is what it reserved on the target (all, or the growth of a reused copy). */
    record Flush(int file, int toTier, int toUnit, long bytes, long reserved, int version, int incarnation) {
    }
}
