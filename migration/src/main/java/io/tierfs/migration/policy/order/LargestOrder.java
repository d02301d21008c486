package io.tierfs.migration.policy.order;

import io.tierfs.migration.policy.FileInfo;

/**
 * Size: the file with the most bytes on the tier first (the fewest moves free the room). Over the engine's
 * {@code FileStat} the same order is {@code SizeOrder}.
 */
public final class LargestOrder extends KeyedOrder {
    public LargestOrder() {
        super(true);
    }

    @Override
    public double key(FileInfo f, long nowMillis) {
        return f.bytes();
    }

    @Override
    public String name() {
        return "size";
    }
}
