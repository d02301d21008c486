package io.tierfs.simulator.report;

/**
 * One memory recall: a lender's lendable memory shrank below what it held at {@code atNanos}. Clean data is
 * dropped at once, dirty data is moved to another lender or flushed down; the recall time runs until the last copy
 * is done. {@code complete} is false when not enough could be evacuated (nowhere had room).
 */
public record RecallResult(long atNanos, int unit, String cause, long bytesToFree, long droppedBytes,
                           long movedBytes, long flushedBytes, long durationNanos, boolean complete) {
}
