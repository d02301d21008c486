package io.tierfs.tier.engine;

/**
 * The persisted form of one chunk's placement. Lengths are not stored: they are the sizes of the chunk files,
 * read back at recovery, so a write inside a chunk never has to touch the index.
 */
record LayoutRecord(int tier, long gen, boolean dirty, int durableTier, long durableGen) {

    long[] toArray() {
        return new long[]{tier, gen, dirty ? 1 : 0, durableTier, durableGen};
    }

    static LayoutRecord of(long[] a) {
        return new LayoutRecord((int) a[0], a[1], a[2] != 0, (int) a[3], a[4]);
    }

    static LayoutRecord of(Chunk c) {
        return new LayoutRecord(c.tier, c.gen, c.dirty, c.durableTier, c.durableGen);
    }
}
