package io.tierfs.vfs;

/** statvfs(3) figures of the whole file system: blocks in units of {@code blockSize}. */
public record StatFs(long blockSize, long blocks, long blocksFree, long blocksAvailable, long files, long filesFree,
                     long nameMax) {
}
