package io.tierfs.migration.policy;

/** A tier's configured capacity and current use, by name, as the engine (or simulator) reports them. */
public record TierFill(String name, long capacityBytes, long usedBytes) {
}
