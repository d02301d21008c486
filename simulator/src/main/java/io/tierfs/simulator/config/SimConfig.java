package io.tierfs.simulator.config;

import io.tierfs.simulator.device.DeviceSpec;

import java.util.List;
import java.util.Set;

/**
 * One simulation: tiers fastest first, the network, the flusher and mover knobs, the policy names, the lenders'
 * memory over time, the workload and the baselines to compare with. Loaded by {@link SimConfigLoader}.
 *
 * @param flushIntervalNanos dirty data on a volatile tier is copied down once it is half this old (TierEngine's rule)
 * @param moverDelayNanos    time from a tier passing its high watermark to the mover's plan
 * @param maxCandidates      victim candidates handed to the policy per tier and plan, taken from the cold end
 */
public record SimConfig(long seed, List<TierConfig> tiers, DeviceSpec network, long flushIntervalNanos,
                        long moverDelayNanos, int maxCandidates, VictimSpec victimOrder, String promotion,
                        List<LenderStep> lenderSchedule, List<LenderJob> lenderJobs, WorkloadSpec workload,
                        Set<Baseline> baselines) {

    /** The same configuration with other tiers and no lenders (for baselines). */
    public SimConfig withTiers(List<TierConfig> other) {
        return new SimConfig(seed, other, network, flushIntervalNanos, moverDelayNanos, maxCandidates, victimOrder,
                promotion, List.of(), List.of(), workload, baselines);
    }

    public SimConfig withWorkload(WorkloadSpec w) {
        return new SimConfig(seed, tiers, network, flushIntervalNanos, moverDelayNanos, maxCandidates, victimOrder,
                promotion, lenderSchedule, lenderJobs, w, baselines);
    }

    public SimConfig withSeed(long s) {
        return new SimConfig(s, tiers, network, flushIntervalNanos, moverDelayNanos, maxCandidates, victimOrder,
                promotion, lenderSchedule, lenderJobs, workload, baselines);
    }

    public SimConfig withPromotion(String p) {
        return new SimConfig(seed, tiers, network, flushIntervalNanos, moverDelayNanos, maxCandidates, victimOrder,
                p, lenderSchedule, lenderJobs, workload, baselines);
    }

    /** Index of the first volatile tier (the lent DRAM), or -1. */
    public int lenderTier() {
        for (int i = 0; i < tiers.size(); i++) {
            if (!tiers.get(i).durable()) {
                return i;
            }
        }
        return -1;
    }
}
