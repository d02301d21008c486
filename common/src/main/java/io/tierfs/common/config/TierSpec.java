package io.tierfs.common.config;

import java.nio.file.Path;

/**
 * One configured tier: where its chunks live, how much it may hold, and the watermarks (fractions of
 * capacity) between which the mover demotes data from it.
 */
public record TierSpec(String name, TierKind kind, Path path, long capacityBytes, double highWatermark,
                       double lowWatermark) {
    public TierSpec {
        if (capacityBytes <= 0) {
            throw new ConfigException("tier '" + name + "': capacity must be positive, got " + capacityBytes);
        }
        if (!(lowWatermark >= 0 && lowWatermark < highWatermark && highWatermark <= 1.0)) {
            throw new ConfigException("tier '" + name + "': need 0 <= low-watermark < high-watermark <= 1, got low="
                    + lowWatermark + " high=" + highWatermark);
        }
    }

    public long highBytes() {
        return (long) (capacityBytes * highWatermark);
    }

    public long lowBytes() {
        return (long) (capacityBytes * lowWatermark);
    }
}
