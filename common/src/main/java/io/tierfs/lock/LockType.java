package io.tierfs.lock;

/** A shared (read, LOCK_SH) or exclusive (write, LOCK_EX) lock; two locks conflict when either is exclusive. */
public enum LockType {
    READ, WRITE;

    /** Whether a lock of this type and one of {@code other}, of different owners on overlapping ranges, conflict. */
    public boolean conflictsWith(LockType other) {
        return this == WRITE || other == WRITE;
    }
}
