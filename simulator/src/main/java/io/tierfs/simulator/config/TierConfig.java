package io.tierfs.simulator.config;

import io.tierfs.common.config.TierKind;
import io.tierfs.simulator.device.DeviceSpec;

/**
 * One simulated tier: {@code units} storage units (lenders' DRAM, nodes' SSDs, HDD servers), each with the same
 * capacity and device; {@code remote} puts each unit's network port in series with its device.
 */
public record TierConfig(String name, TierKind kind, int units, long capacityPerUnit, double highWatermark,
                         double lowWatermark, boolean remote, DeviceSpec device) {

    public boolean durable() {
        return kind.durable();
    }

    public long capacity() {
        return capacityPerUnit * units;
    }
}
