package io.tierfs.borrow.lender;

import io.tierfs.borrow.ByteSizes;

import java.time.Duration;
import java.time.Instant;

/**
 * The end of one lease: how long giving it back took, against which deadline, and what the borrower did. For a
 * lease given back without a recall, {@code reason} is {@link RecallReason#RETURNED} and {@code issuedAt} is the
 * release time.
 */
public record RecallReport(String lender, long leaseId, String borrower, long leaseBytes, RecallReason reason,
                           Instant issuedAt, Instant deadline, Instant releasedAt, ReleaseStats stats) {

    /** Time from the recall order to the release. */
    public Duration elapsed() {
        return Duration.between(issuedAt, releasedAt);
    }

    /** Released after the deadline. */
    public boolean late() {
        return releasedAt.isAfter(deadline);
    }

    /** One line for the log and the CLI. */
    public String summary() {
        if (reason == RecallReason.RETURNED) {
            return "lease " + leaseId + " (" + ByteSizes.human(leaseBytes) + ") on " + lender + " returned by " + borrower;
        }
        return reason.name().toLowerCase(java.util.Locale.ROOT) + " recall of lease " + leaseId + " ("
                + ByteSizes.human(leaseBytes) + ") on " + lender + " from " + borrower + ": released in "
                + ByteSizes.seconds(elapsed()) + " (deadline " + ByteSizes.seconds(Duration.between(issuedAt, deadline))
                + (late() ? ", LATE" : "") + "): " + ByteSizes.human(stats.bytesDroppedClean()) + " clean dropped, "
                + ByteSizes.human(stats.bytesFlushed()) + " flushed, " + ByteSizes.human(stats.bytesMoved()) + " moved, "
                + ByteSizes.human(stats.bytesPromoted()) + " replica promoted, " + stats.chunks() + " chunks, "
                + stats.failures() + " failures";
    }
}
