package io.tierfs.simulator.device;

import io.tierfs.common.config.TierKind;

/**
 * Default device figures per tier kind, one storage unit each (a node's lent DRAM, a node's NVMe SSD, one HDD
 * storage server), and the default network link. Sources are in docs/simulator.md; the figures are data-sheet
 * sequential rates, i.e. what a well-behaved streaming workload sees, not a random-4K worst case.
 */
public final class DeviceDefaults {
    private static final long MB = 1_000_000L;

    private DeviceDefaults() {
    }

    /** The default device of one unit of a tier of {@code kind}. */
    public static DeviceSpec forKind(TierKind kind) {
        return switch (kind) {
            // Lent DRAM behind a user-space file system: one memcpy stream per request, ~10 GB/s on DDR4-2666
            // (JEDEC peak 21.3 GB/s per channel; STREAM copy per core is ~10 GB/s); software path ~2 us.
            case DRAM -> new DeviceSpec(10_000 * MB, 8_000 * MB, 2_000, 16, 0);
            // Intel Optane DC PMM 256 GB in App Direct mode (published measurements: ~6.6 GB/s read, ~2.3 GB/s write).
            case PMEM -> new DeviceSpec(6_600 * MB, 2_300 * MB, 5_000, 8, 0);
            // Intel SSD DC P4510 2 TB data sheet: 3,200 MB/s sequential read, 2,000 MB/s write; latency 77/18 us.
            case SSD -> new DeviceSpec(3_200 * MB, 2_000 * MB, 77_000, 32, 0);
            // Seagate Exos X16 data sheet: 261 MB/s sustained transfer; 4.16 ms average rotational latency;
            // average seek ~8.5 ms (Seagate enterprise 7,200 rpm class). One disk, one request at a time.
            case HDD -> new DeviceSpec(261 * MB, 261 * MB, 4_160_000, 1, 8_500_000);
        };
    }

    /** One node's network port: InfiniBand EDR 100 Gb/s (12.5 GB/s), ~1 us (Mellanox ConnectX-4 data sheet: 0.6 us). */
    public static DeviceSpec network() {
        return new DeviceSpec(12_500 * MB, 12_500 * MB, 1_000, 64, 0);
    }
}
