package io.tierfs.borrow.lender;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lender's leases at one instant, for {@code tierfs nodes} and the REST API. Memory actually used and dirty is
 * known to the borrowers, not to the ledger; the caller adds it.
 *
 * @param offer          the last offer the ledger was given
 * @param grantedBytes   all leases, recalling ones included (what is lent)
 * @param recallingBytes leases being given back
 * @param perBorrower    bytes leased per borrower (sorted by name)
 * @param recalls        recalls in progress, oldest first
 * @param refusal        why the lender grants nothing now, if it does not
 */
public record LenderStatus(String lender, Offer offer, long grantedBytes, long recallingBytes,
                           Map<String, Long> perBorrower, List<Recall> recalls, Optional<String> refusal) {

    /** One recall in progress. */
    public record Recall(RecallOrder order, Duration age, boolean overdue) {
    }

    public long offeredBytes() {
        return offer.offeredBytes();
    }

    public boolean recallInProgress() {
        return !recalls.isEmpty();
    }
}
