package io.tierfs.borrow.recall;

/**
 * One thing to do with one chunk to empty a recalled lender.
 *
 * @param target the lender that becomes the chunk's home for {@link Action#PROMOTE_REPLICA} and
 *               {@link Action#MOVE_TO_LENDER}; null otherwise
 */
public record RecallStep(Action action, LentChunk chunk, String target) {

    /** What happens to the chunk. */
    public enum Action {
        /** Clean: its durable copy serves reads; the DRAM copy is deleted at once. */
        DROP,
        /** Dirty with a replica on another lender: that replica becomes the primary copy, nothing is copied. */
        PROMOTE_REPLICA,
        /** Dirty: copied down to a durable tier, then deleted here. */
        FLUSH_DOWN,
        /** Dirty, durable tiers full: copied to another lender with room in its leases, then deleted here. */
        MOVE_TO_LENDER
    }

    public RecallStep {
        if ((action == Action.PROMOTE_REPLICA || action == Action.MOVE_TO_LENDER) == (target == null)) {
            throw new IllegalArgumentException(action + " " + (target == null ? "needs" : "takes no") + " target lender");
        }
        if (action == Action.DROP && !chunk.clean()) {
            throw new IllegalArgumentException("chunk " + chunk + " is not clean and must not be dropped");
        }
    }

    public long bytes() {
        return chunk.length();
    }
}
