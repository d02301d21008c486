package io.tierfs.tier.engine;

/**
 * A persisted promise "a copy of this chunk is being written to (toTier, toGen)". It lets restart recovery
 * decide, from the layout alone, whether the move got switched (roll forward: free the source) or not
 * (roll back: free the target).
 */
record MoveIntent(long ino, int index, boolean durableRole, int fromTier, long fromGen, int toTier, long toGen) {

    String key() {
        return LayoutStore.key(ino, index);
    }

    long[] toArray() {
        return new long[]{ino, index, durableRole ? 1 : 0, fromTier, fromGen, toTier, toGen};
    }

    static MoveIntent of(long[] a) {
        return new MoveIntent(a[0], (int) a[1], a[2] != 0, (int) a[3], a[4], (int) a[5], a[6]);
    }
}
