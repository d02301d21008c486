package io.tierfs.node.fsck;

/**
 * What a check covered: directories walked, names seen, distinct files (any non-directory inode), the bytes their
 * sizes add up to, and the bytes their chunks take on the tiers.
 */
public record FsckStats(long directories, long names, long files, long bytes, long dataBytes) {
}
