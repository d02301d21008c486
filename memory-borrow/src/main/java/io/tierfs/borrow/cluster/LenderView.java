package io.tierfs.borrow.cluster;

import java.util.List;

/**
 * One lender's memory as {@code tierfs nodes} shows it: what it offers, what it lent (granted leases), what
 * borrowers store there and how much of that is dirty, and any recall in progress.
 */
public record LenderView(String node, String dataAddress, long memAvailableBytes, long offeredBytes, long lentBytes,
                         long usedBytes, long dirtyBytes, long shmBytes, boolean lending, List<String> recalls)
        implements BorrowMessage {
}
