package io.tierfs.borrow.lent;

/** One chunk of one inode, whatever its generation: the unit a lent space places on a lender. */
public record ChunkId(long ino, int index) {
}
