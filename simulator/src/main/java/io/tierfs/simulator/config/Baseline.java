package io.tierfs.simulator.config;

import java.util.Locale;

/** The comparisons run alongside the configured tiers, on the same workload. */
public enum Baseline {
    /** Only the slowest tier (the HDD storage servers). */
    HDD_ONLY("hdd-only"),
    /** The SSD and HDD tiers, no DRAM. */
    SSD_HDD("ssd-hdd"),
    /** The offline optimum (Belady's furthest-next-use) hit ratio of the fastest tier. */
    BELADY("belady");

    private final String key;

    Baseline(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    public static Baseline parse(String s) {
        for (Baseline b : values()) {
            if (b.key.equals(s.toLowerCase(Locale.ROOT))) {
                return b;
            }
        }
        throw new SimConfigException("sim.baselines: unknown baseline '" + s + "' (known: hdd-only, ssd-hdd, belady)");
    }
}
