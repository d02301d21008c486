package io.tierfs.migration.policy;

/** A decision: move the {@code bytes} that {@code ino} has on tier {@code fromTier} down to tier {@code toTier}. */
public record Demotion(long ino, int fromTier, int toTier, long bytes) {
}
