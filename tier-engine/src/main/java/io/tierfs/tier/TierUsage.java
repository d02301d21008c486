package io.tierfs.tier;

/** One tier's figures for status and statfs. */
public record TierUsage(String name, String kind, String path, long capacityBytes, long usedBytes, long chunks,
                        long files, double highWatermark, double lowWatermark) {
}
