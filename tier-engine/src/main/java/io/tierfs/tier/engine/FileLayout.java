package io.tierfs.tier.engine;

import java.util.concurrent.ConcurrentSkipListMap;

/** The chunks of one inode, in chunk order, and its last access time (for LRU demotion). */
final class FileLayout {
    final long ino;
    final ConcurrentSkipListMap<Integer, Chunk> chunks = new ConcurrentSkipListMap<>();
    volatile long lastAccessMillis;
    /** Set by delete(ino): writers that still hold this object start over with a fresh one. */
    volatile boolean deleted;

    FileLayout(long ino, long nowMillis) {
        this.ino = ino;
        this.lastAccessMillis = nowMillis;
    }

    void touch(long nowMillis) {
        if (nowMillis > lastAccessMillis) {
            lastAccessMillis = nowMillis;
        }
    }
}
