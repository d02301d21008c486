package io.tierfs.borrow.lender;

/** Why a lender takes memory back. */
public enum RecallReason {
    /** MemAvailable fell below the reserve, or the offer fell below what is leased. */
    PRESSURE,
    /** An operator or a scheduler prolog asked ({@code tierfs node reclaim NODE}); the lender stops lending. */
    OPERATOR,
    /** The node leaves the cluster gracefully. */
    LEAVING,
    /** Not a recall: the borrower gave a lease back on its own. */
    RETURNED
}
