package io.tierfs.lock;

/**
 * A request for a lock: a POSIX record lock (fcntl F_SETLK/F_SETLKW) on {@code [start, end]}, or a flock lock on
 * the whole file. The two kinds live in separate namespaces and never conflict with each other, as on Linux.
 */
public record LockRequest(Kind kind, LockOwner owner, long pid, LockType type, long start, long end) {
    public enum Kind { POSIX, FLOCK }

    public LockRequest {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("bad lock range [" + start + ", " + end + "]");
        }
    }

    public static LockRequest posix(LockOwner owner, long pid, LockType type, long start, long end) {
        return new LockRequest(Kind.POSIX, owner, pid, type, start, end);
    }

    public static LockRequest flock(LockOwner owner, long pid, LockType type) {
        return new LockRequest(Kind.FLOCK, owner, pid, type, 0, HeldLock.TO_EOF);
    }

    HeldLock asHeld() {
        return new HeldLock(owner, pid, type, start, end);
    }
}
