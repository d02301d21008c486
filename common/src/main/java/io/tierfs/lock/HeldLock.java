package io.tierfs.lock;

/**
 * A lock held on the byte range {@code [start, end]} (end inclusive; {@link Long#MAX_VALUE}: to the end of the file,
 * however it grows). A flock lock covers the whole file. {@code pid} is the process that took it, on {@code owner}'s
 * member.
 */
public record HeldLock(LockOwner owner, long pid, LockType type, long start, long end) {
    public static final long TO_EOF = Long.MAX_VALUE;

    public HeldLock {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad lock range [" + start + ", " + end + "]");
        }
    }

    boolean overlaps(long s, long e) {
        return start <= e && s <= end;
    }

    /** Overlapping or adjacent: a lock of the same owner and type on {@code [s, e]} merges with this one. */
    boolean touches(long s, long e) {
        return (e == TO_EOF || start <= e + 1) && (end == TO_EOF || s <= end + 1);
    }

    HeldLock withRange(long s, long e) {
        return new HeldLock(owner, pid, type, s, e);
    }
}
