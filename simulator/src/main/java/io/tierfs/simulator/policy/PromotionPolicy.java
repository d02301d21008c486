package io.tierfs.simulator.policy;

/**
 * Whether a file read from a slower tier should be copied up, and where. The production code has no promotion
 * yet (DESIGN.md plans promotion on heat and pre-staging); this is where the simulator plugs such policies in so
 * they can be compared before they are built.
 */
public interface PromotionPolicy {

    /**
     * @param file        the file just read
     * @param tier        the tier it was read from
     * @param lastAccessMillis its previous access (virtual epoch millis), for heat-like policies
     * @return the tier to copy it to (faster than {@code tier}), or -1 for none
     */
    int promoteTo(int file, int tier, long lastAccessMillis);

    /** Never promotes: the production data path (writes land high, data only moves down). */
    static PromotionPolicy none() {
        return (file, tier, last) -> -1;
    }

    /** Copies a file to the fastest tier when it is read from a slower one: the fastest tier behaves as a cache. */
    static PromotionPolicy onRead() {
        return (file, tier, last) -> tier > 0 ? 0 : -1;
    }
}
