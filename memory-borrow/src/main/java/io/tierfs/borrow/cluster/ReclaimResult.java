package io.tierfs.borrow.cluster;

import java.util.List;

/**
 * The outcome of a reclaim (operator) or of a graceful leave: whether every lease came back within the deadline,
 * how long it took, and one line per borrower (what it dropped, flushed, or why it could not finish).
 */
public record ReclaimResult(String node, boolean complete, long tookMillis, long deadlineMillis, long bytesReleased,
                            List<String> details) implements BorrowMessage {

    public String summary() {
        return String.format("%s %s: %.1f MiB released in %d ms (deadline %d ms)%s", complete ? "reclaimed" : "reclaim of",
                node, bytesReleased / 1048576.0, tookMillis, deadlineMillis,
                complete ? "" : "; NOT complete, nothing was lost: " + String.join("; ", details));
    }
}
