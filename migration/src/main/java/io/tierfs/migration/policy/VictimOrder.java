package io.tierfs.migration.policy;

import java.util.Comparator;

/**
 * The order in which files are demoted from a tier, first victim first. An interface so that LRU, LFU, heat or
 * an expression of them plug into the same watermark policy (and the simulator runs the same classes).
 */
public interface VictimOrder {

    /** The victim order at {@code nowMillis} (time matters for heat and age based orders). */
    Comparator<FileStat> at(long nowMillis);
}
