package io.tierfs.borrow.lender;

import io.tierfs.borrow.ByteSizes;

import java.time.Duration;
import java.time.Instant;

/**
 * A lender's demand that a borrower empty one lease by a deadline: stop placing data there, drop clean chunks, flush
 * or move dirty ones, then release it.
 */
public record RecallOrder(String lender, long leaseId, String borrower, long bytes, RecallReason reason,
                          Instant issuedAt, Instant deadline) {

    /** How long the recall has been running. */
    public Duration age(Instant now) {
        return Duration.between(issuedAt, now);
    }

    /** The deadline has passed. */
    public boolean overdue(Instant now) {
        return now.isAfter(deadline);
    }

    RecallOrder withDeadline(Instant earlier) {
        return new RecallOrder(lender, leaseId, borrower, bytes, reason, issuedAt, earlier);
    }

    @Override
    public String toString() {
        return "recall of lease " + leaseId + " (" + ByteSizes.human(bytes) + ") on " + lender + " from " + borrower
                + ", " + reason + ", deadline " + deadline;
    }
}
