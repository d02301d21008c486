package io.tierfs.tier.engine;

/** How many bytes of one inode lie on one tier, and when the inode was last read or written (for victim order). */
public record FileTierStat(long ino, long bytes, long lastAccessMillis) {
}
