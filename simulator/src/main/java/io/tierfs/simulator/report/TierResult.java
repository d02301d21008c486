package io.tierfs.simulator.report;

/**
 * One tier's figures for a run. Hit ratios are the share of all application reads (bytes, requests) served by
 * this tier; busy is the mean over the tier's units of the virtual time each had a request in service.
 */
public record TierResult(String name, String kind, long capacityBytes, long peakUsedBytes, long readRequests,
                         long readBytes, long writeRequests, long writeBytes, long migrationReadBytes,
                         long migrationWriteBytes, long busyNanos, double hitRatioBytes, double hitRatioRequests) {
}
