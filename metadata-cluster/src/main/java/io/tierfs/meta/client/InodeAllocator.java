package io.tierfs.meta.client;

/**
 * Hands out fresh inode numbers. The client picks the number of a new inode before it asks the directory entity,
 * so that a retried create is recognised as the same create.
 */
public interface InodeAllocator {
    long next();

    /** Upper bound of inode numbers handed out so far (for statfs). */
    long highWater();
}
