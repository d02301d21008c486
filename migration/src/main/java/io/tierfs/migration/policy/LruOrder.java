package io.tierfs.migration.policy;

import java.util.Comparator;

/** Least recently used first; ties broken by inode number so that a plan is deterministic. */
public final class LruOrder implements VictimOrder {
    private static final Comparator<FileStat> ORDER =
            Comparator.comparingLong(FileStat::lastAccessMillis).thenComparingLong(FileStat::ino);

    @Override
    public Comparator<FileStat> at(long nowMillis) {
        return ORDER;
    }
}
