package io.tierfs.migration.policy;

import io.tierfs.migration.policy.order.FileOrder;

/**
 * A tier of a compiled policy: its watermarks, its victim order (compiled) and its promotion threshold.
 *
 * @param capacityCap   the policy's cap on the tier's bytes, or 0 for none (the configured capacity counts)
 * @param promotionHeat heat at or above which a file on a slower tier is promoted here; NaN for none
 */
public record PolicyTier(int index, String name, long capacityCap, double highWatermark, double lowWatermark,
                         FileOrder victimOrder, double promotionHeat) {

    public boolean promotes() {
        return !Double.isNaN(promotionHeat);
    }

    /** The capacity that counts: the smaller of the configured one and the policy's cap. */
    public long effectiveCapacity(long configuredBytes) {
        return capacityCap > 0 ? Math.min(configuredBytes, capacityCap) : configuredBytes;
    }

    /** This tier's fill as the planner sees it, watermarks in bytes. */
    public TierState state(long configuredBytes, long usedBytes) {
        long cap = effectiveCapacity(configuredBytes);
        return new TierState(index, name, cap, usedBytes, (long) (cap * highWatermark), (long) (cap * lowWatermark));
    }
}
