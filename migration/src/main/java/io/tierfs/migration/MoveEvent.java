package io.tierfs.migration;

/**
 * One chunk copy of the mover, as observers (status page, metrics) see it: started when {@code result} is null,
 * finished otherwise. Tiers are indexes, fastest first; times are wall-clock milliseconds.
 */
public record MoveEvent(long ino, int chunk, int fromTier, int toTier, long bytes, Result result,
                        long startMillis, long endMillis) {
    /** How a copy ended: moved, nothing to move, kept changing under the copy, or failed with an error. */
    public enum Result { MOVED, SKIPPED, RACED, FAILED }

    public boolean finished() {
        return result != null;
    }

    public boolean up() {
        return toTier < fromTier;
    }
}
