package io.tierfs.migration.policy.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The order the mover works in: recall, then pre-stage, then demotion, then promotion. Among recalls and
 * pre-stages the earliest deadline first (EDF: if any order meets every deadline, this one does); among demotions
 * the slowest source tier first (room opens downstream before data arrives, as the Mover does), then plan order
 * (victim order); among promotions plan order (hottest first). The sort is stable.
 */
public final class MoveOrder {
    public static final Comparator<PlannedMove> PRIORITY = Comparator
            .comparingInt((PlannedMove m) -> m.kind().ordinal())
            .thenComparingLong(PlannedMove::deadlineMillis)
            .thenComparing((a, b) -> a.kind() == MoveKind.DEMOTION ? Integer.compare(b.fromTier(), a.fromTier()) : 0);

    private MoveOrder() {
    }

    /** {@code moves} in priority order (stable: equal moves keep their plan order). */
    public static List<PlannedMove> byPriority(Collection<? extends PlannedMove> moves) {
        List<PlannedMove> out = new ArrayList<>(moves);
        out.sort(PRIORITY);
        return out;
    }

    /**
     * The moves to start now: the first ones of {@code queue} (already in priority order) that fit in the
     * concurrency limit beside {@code inFlight} running moves.
     */
    public static List<PlannedMove> startable(List<PlannedMove> queue, int inFlight, int concurrency) {
        int free = Math.max(0, concurrency - inFlight);
        return List.copyOf(queue.subList(0, Math.min(free, queue.size())));
    }
}
