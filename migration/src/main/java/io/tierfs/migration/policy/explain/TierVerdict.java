package io.tierfs.migration.policy.explain;

/**
 * A tier before and after the dry-run plan.
 *
 * @param state "above high watermark", "between watermarks", "below low watermark"
 */
public record TierVerdict(String name, long capacityBytes, long usedBytes, long projectedBytes, long highBytes,
                          long lowBytes, String victimOrder, String state, int movesOut, int movesIn) {
}
