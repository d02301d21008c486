package io.tierfs.meta.client;

import java.util.function.LongUnaryOperator;

/**
 * Hands out inode numbers locally from ranges reserved (and persisted) elsewhere, so a create costs no round trip
 * to a central allocator. The range source gets the wanted size and returns the first number of a reserved range.
 */
public final class RangeAllocator implements InodeAllocator {
    private final LongUnaryOperator reserve;
    private final int rangeSize;
    private long next;
    private long end;

    public RangeAllocator(LongUnaryOperator reserve, int rangeSize) {
        this.reserve = reserve;
        this.rangeSize = rangeSize;
    }

    @Override
    public synchronized long next() {
        if (next >= end) {
            next = reserve.applyAsLong(rangeSize);
            end = next + rangeSize;
        }
        return next++;
    }

    @Override
    public synchronized long highWater() {
        return next;
    }
}
