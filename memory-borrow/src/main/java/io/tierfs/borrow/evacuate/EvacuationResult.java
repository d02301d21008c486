package io.tierfs.borrow.evacuate;

import java.time.Duration;

/**
 * What the evacuation of one lender did: bytes of clean copies dropped, dirty bytes flushed down to a durable tier,
 * replicas promoted or dropped, and what is still there if it could not finish ({@code remainingChunks > 0}: the
 * lease must not be released, nothing is lost).
 */
public record EvacuationResult(String lender, Duration took, int chunks, long droppedCleanBytes, long flushedBytes,
                               int replicasPromoted, int replicasDropped, int remainingChunks, long remainingBytes,
                               String problem) {

    public boolean complete() {
        return remainingChunks == 0;
    }

    /** One line for logs and the operator. */
    public String summary() {
        String head = String.format("lender %s: %d chunks in %d ms: %s clean dropped, %s flushed down, "
                        + "%d replicas promoted, %d dropped", lender, chunks, took.toMillis(), mib(droppedCleanBytes),
                mib(flushedBytes), replicasPromoted, replicasDropped);
        return complete() ? head : head + "; NOT finished: " + remainingChunks + " chunks (" + mib(remainingBytes)
                + ") still there: " + problem;
    }

    private static String mib(long b) {
        return String.format("%.1f MiB", b / 1048576.0);
    }
}
