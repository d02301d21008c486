package io.tierfs.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The bytes {@link SharedBench} writes: every 8-byte word at file offset {@code o} (a multiple of 8) holds
 * {@code o ^ seed}. Position-dependent, so a transfer written at the wrong place, a lost transfer (zeros) or one
 * overwritten by another writer's stale copy never passes for the right data.
 */
final class SharedPattern {
    private SharedPattern() {
    }

    /** Fills {@code buf} (position 0, its whole capacity) with the pattern of the bytes starting at {@code offset}. */
    static void fill(ByteBuffer buf, long offset, long seed) {
        if ((offset & 7) != 0 || (buf.capacity() & 7) != 0) {
            throw new IllegalArgumentException("transfers must be 8-byte aligned: offset " + offset + ", size "
                    + buf.capacity());
        }
        buf.clear();
        buf.order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < buf.capacity(); i += 8) {
            buf.putLong(i, (offset + i) ^ seed);
        }
        buf.limit(buf.capacity());
    }
}
