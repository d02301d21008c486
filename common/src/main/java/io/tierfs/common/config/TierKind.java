package io.tierfs.common.config;

/** The media a tier is made of, fastest first. Only DRAM is volatile. */
public enum TierKind {
    DRAM(false), PMEM(true), SSD(true), HDD(true);

    private final boolean durable;

    TierKind(boolean durable) {
        this.durable = durable;
    }

    /** Whether data on this tier survives a power loss (fsync may return once data is here). */
    public boolean durable() {
        return durable;
    }
}
