package io.tierfs.node.fsck;

/** The data the tiers hold for one inode: how many chunks (any copy on any tier) and how many bytes in all. */
public record InodeData(long ino, int chunks, long bytes) {
}
