package io.tierfs.borrow.lender;

/**
 * What a borrower did to empty a lease, as it reports with the release.
 *
 * @param bytesDroppedClean clean chunks (with a durable copy) simply dropped
 * @param bytesFlushed      dirty chunks copied down to a durable tier
 * @param bytesMoved        dirty chunks moved to another lender
 * @param bytesPromoted     dirty chunks whose replica on another lender became the primary copy
 * @param chunks            chunks taken off the lease
 * @param failures          steps that failed and were retried or re-planned on the way (the release itself means
 *                          the lease holds nothing any more)
 */
public record ReleaseStats(long bytesDroppedClean, long bytesFlushed, long bytesMoved, long bytesPromoted, int chunks,
                           int failures) {

    public static final ReleaseStats EMPTY = new ReleaseStats(0, 0, 0, 0, 0, 0);

    public ReleaseStats {
        if (bytesDroppedClean < 0 || bytesFlushed < 0 || bytesMoved < 0 || bytesPromoted < 0 || chunks < 0 || failures < 0) {
            throw new IllegalArgumentException("release stats must not be negative");
        }
    }

    /** All bytes taken off the lender. */
    public long totalBytes() {
        return bytesDroppedClean + bytesFlushed + bytesMoved + bytesPromoted;
    }
}
