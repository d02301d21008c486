package io.tierfs.borrow.recall;

import io.tierfs.borrow.ByteSizes;

import java.util.List;

/**
 * How a borrower empties a recalled lender: steps in order (drops first, then replica promotions, flushes, moves),
 * and what cannot go anywhere. Unplaceable chunks stay where they are: the recall does not finish and says why;
 * no step ever deletes the only copy of data.
 *
 * @param unplaceableReason one line, empty when every chunk has a place
 */
public record RecallPlan(String lender, List<RecallStep> steps, List<LentChunk> unplaceable, String unplaceableReason) {

    public RecallPlan {
        steps = List.copyOf(steps);
        unplaceable = List.copyOf(unplaceable);
    }

    /** Every chunk has a step: carrying the plan out empties the lender. */
    public boolean complete() {
        return unplaceable.isEmpty();
    }

    public long unplaceableBytes() {
        return unplaceable.stream().mapToLong(LentChunk::length).sum();
    }

    public long bytes(RecallStep.Action action) {
        return steps.stream().filter(s -> s.action() == action).mapToLong(RecallStep::bytes).sum();
    }

    public long count(RecallStep.Action action) {
        return steps.stream().filter(s -> s.action() == action).count();
    }

    /** All bytes the plan takes off the lender. */
    public long totalBytes() {
        return steps.stream().mapToLong(RecallStep::bytes).sum();
    }

    /** One line: "plan for node-b: drop 200 MiB, promote 0 B, flush 56 MiB, move 0 B" (+ the reason if any). */
    public String summary() {
        String s = "plan for " + lender + ": drop " + ByteSizes.human(bytes(RecallStep.Action.DROP))
                + ", promote " + ByteSizes.human(bytes(RecallStep.Action.PROMOTE_REPLICA))
                + ", flush " + ByteSizes.human(bytes(RecallStep.Action.FLUSH_DOWN))
                + ", move " + ByteSizes.human(bytes(RecallStep.Action.MOVE_TO_LENDER));
        return complete() ? s : s + "; " + unplaceableReason;
    }
}
