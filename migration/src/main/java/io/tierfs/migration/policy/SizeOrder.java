package io.tierfs.migration.policy;

import java.util.Comparator;

/**
 * Largest first (the fewest moves free the room); ties broken by inode number. Needs only the engine's
 * {@link FileStat}, so the existing {@link WatermarkPolicy} can use it as is.
 */
public final class SizeOrder implements VictimOrder {
    private static final Comparator<FileStat> ORDER =
            Comparator.comparingLong(FileStat::bytes).reversed().thenComparingLong(FileStat::ino);

    @Override
    public Comparator<FileStat> at(long nowMillis) {
        return ORDER;
    }
}
