package io.tierfs.borrow.lender;

import java.time.Instant;

/**
 * A borrower's right to keep up to {@code bytes} of chunks in one lender's memory.
 *
 * @param id    unique within one {@link LeaseLedger}
 * @param since when the lease entered its current state (granted, or recalled)
 */
public record Lease(long id, String borrower, long bytes, LeaseState state, Instant since) {

    public Lease {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a lease has a positive size, got " + bytes);
        }
    }

    Lease recalling(Instant at) {
        return new Lease(id, borrower, bytes, LeaseState.RECALLING, at);
    }
}
