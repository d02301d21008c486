package io.tierfs.lock;

/**
 * Who holds a lock: the cluster member whose mount took it ({@code member}, its unique cluster address, so that
 * the member's locks can be dropped when it is removed) and the kernel's lock owner there ({@code id}: FUSE's
 * {@code lock_owner}, one per process for POSIX locks, one per open file description for flock).
 */
public record LockOwner(String member, long id) {
}
