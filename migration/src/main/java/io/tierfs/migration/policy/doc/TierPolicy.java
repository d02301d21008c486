package io.tierfs.migration.policy.doc;

/**
 * One tier as the policy sees it (fastest tier first in {@link PolicyDoc#tiers()}).
 *
 * @param name          the tier's name, as the node's configuration names it
 * @param capacityBytes a cap on the bytes the policy lets the tier hold; null = the tier's configured capacity
 *                      (when both are known the smaller one counts)
 * @param highWatermark fraction of capacity above which files are demoted
 * @param lowWatermark  fraction of capacity the demotion goes down to
 * @param victimOrder   the order victims are chosen in
 * @param victimWeight  the expression for {@link OrderKind#WEIGHT}; null otherwise
 * @param promotionHeat files on slower tiers whose heat reaches this are promoted to this tier; null = none
 */
public record TierPolicy(String name, Long capacityBytes, double highWatermark, double lowWatermark,
                         OrderKind victimOrder, String victimWeight, Double promotionHeat) {
    public static final double DEFAULT_HIGH = 0.90;
    public static final double DEFAULT_LOW = 0.70;

    /** A tier with today's defaults: configured capacity, 90 % / 70 %, LRU, no promotion. */
    public static TierPolicy defaults(String name) {
        return new TierPolicy(name, null, DEFAULT_HIGH, DEFAULT_LOW, OrderKind.LRU, null, null);
    }
}
