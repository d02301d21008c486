package io.tierfs.borrow.lent;

/** What the borrower may do with a lender's lease. */
public enum SlotState {
    /** New chunks may be placed there. */
    ACTIVE,
    /** Being recalled: nothing new goes there; what is there is being moved away. */
    DRAINING,
    /** The lender is unreachable (crashed or partitioned): reads of clean chunks go to their durable copies. */
    DOWN
}
