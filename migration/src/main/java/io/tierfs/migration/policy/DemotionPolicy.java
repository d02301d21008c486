package io.tierfs.migration.policy;

import java.util.List;
import java.util.function.IntFunction;

/** Decides what to move down, from the tiers' fill and the files on each tier. Pure: no I/O, time injected. */
public interface DemotionPolicy {

    /**
     * @param tiers       every tier, fastest first
     * @param filesOnTier the victim candidates of a tier (called only for tiers that need room)
     * @return the demotions to perform, in the order planned
     */
    List<Demotion> plan(List<TierState> tiers, IntFunction<List<FileStat>> filesOnTier);
}
