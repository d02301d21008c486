package io.tierfs.migration.policy.doc;

/** How fast heat cools: it halves every {@code halfLifeMillis} without accesses (GPFS fileHeatLossPercent). */
public record HeatSettings(long halfLifeMillis) {
    public static final HeatSettings DEFAULT = new HeatSettings(3_600_000L);
}
