package io.tierfs.borrow.lender;

/** Where a lease is in its life: in use, or being given back. */
public enum LeaseState {
    /** The borrower may place new chunks within it. */
    ACTIVE,
    /** Recalled: the borrower places nothing new there and empties it before its deadline. */
    RECALLING
}
