package io.tierfs.it;

import java.util.OptionalLong;

/**
 * What a suite needs from the file system it gets: the standard configuration, or tiers so small that the
 * whole file system holds only about {@code tinyCapacityBytes} (for the ENOSPC suite). A record so that
 * {@code MountedTierFs} can turn it into a node configuration without knowing which suite asked.
 */
public record FsSpec(OptionalLong tinyCapacityBytes) {

    /** Default tiers (large enough that no suite fills them). */
    public static FsSpec standard() {
        return new FsSpec(OptionalLong.empty());
    }

    /** Tiers whose total capacity is about {@code totalBytes}. */
    public static FsSpec tinyTiers(long totalBytes) {
        if (totalBytes <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + totalBytes);
        }
        return new FsSpec(OptionalLong.of(totalBytes));
    }
}
