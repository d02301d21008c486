package io.tierfs.borrow.lender;

/**
 * A release names a lease the ledger does not hold: already released (a retried message), freed because its
 * borrower left, or never granted. A retry of a release is harmless; the caller decides whether to log it.
 */
public class UnknownLeaseException extends RuntimeException {
    private final long leaseId;

    public UnknownLeaseException(String lender, long leaseId) {
        super("lender " + lender + " holds no lease " + leaseId + " (already released, borrower gone, or never granted)",
                null, false, false);
        this.leaseId = leaseId;
    }

    public long leaseId() {
        return leaseId;
    }
}
