package io.tierfs.migration.policy.plan;

import io.tierfs.migration.policy.Demotion;
import io.tierfs.migration.policy.TierState;

import java.util.List;

/**
 * The planner's answer for one moment: moves in priority order ({@link MoveOrder}), files considered and left in
 * place with the reason, the tiers' fill once every move is done, and the pre-stage requests' progress.
 */
public record Plan(long atMillis, long policyVersion, List<PlannedMove> moves, List<Stay> stays,
                   List<TierState> projected, List<PrestageProgress> prestages) {
    public Plan {
        moves = List.copyOf(moves);
        stays = List.copyOf(stays);
        projected = List.copyOf(projected);
        prestages = List.copyOf(prestages);
    }

    /** The demotions alone, as the existing Mover takes them. */
    public List<Demotion> demotions() {
        return moves.stream().filter(m -> m instanceof DemotionMove).map(m -> ((DemotionMove) m).demotion()).toList();
    }
}
