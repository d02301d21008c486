package io.tierfs.migration.policy.order;

import io.tierfs.migration.policy.FileInfo;

import java.util.Comparator;

/** LFU: the file with the fewest accesses first; among equals, the least recently accessed. */
public final class LeastFrequentOrder implements FileOrder {
    private static final Comparator<FileInfo> ORDER = Comparator.comparingLong(FileInfo::accesses)
            .thenComparingLong(FileInfo::atimeMillis).thenComparing(TIE);

    @Override
    public Comparator<FileInfo> at(long nowMillis) {
        return ORDER;
    }

    @Override
    public double key(FileInfo f, long nowMillis) {
        return f.accesses();
    }

    @Override
    public String name() {
        return "lfu";
    }
}
