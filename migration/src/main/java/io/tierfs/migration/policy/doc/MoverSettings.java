package io.tierfs.migration.policy.doc;

/**
 * Throttles of the mover, as data (the live mover enforces them, the simulator models them).
 *
 * @param concurrency              moves (chunk copies) in flight at most
 * @param bandwidthBytesPerSecond  bytes per second the mover may copy in total; 0 = unlimited
 */
public record MoverSettings(int concurrency, long bandwidthBytesPerSecond) {
    /** Today's mover: 2 concurrent copies (TieredStorage.DEFAULT_MOVER_CONCURRENCY), no bandwidth cap. */
    public static final MoverSettings DEFAULT = new MoverSettings(2, 0);
}
