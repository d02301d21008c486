package io.tierfs.migration.policy;

/**
 * One file's share of one tier, as a victim candidate. Kept apart from the engine's records so that later
 * policies (LFU, heat, pinning) can add what they need without touching the engine.
 */
public record FileStat(long ino, long bytes, long lastAccessMillis) {
}
