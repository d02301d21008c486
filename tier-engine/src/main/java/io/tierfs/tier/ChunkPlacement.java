package io.tierfs.tier;

/**
 * Where one chunk of a file lies: its index, the tier (and node) of its primary copy, its generation, its length,
 * whether it is dirty (not yet on a durable tier), and the tier of its durable copy if it has one.
 */
public record ChunkPlacement(int index, String tier, String node, long generation, long length, boolean dirty,
                             String durableTier) {
}
