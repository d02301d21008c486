package io.tierfs.lock;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Advisory locks as the FUSE edge asks for them, for one member's mount: {@code owner} is the kernel's lock owner
 * on this member (the implementation adds which member). Failures are {@link io.tierfs.common.FsException}s:
 * EAGAIN for a conflict when not waiting, EINTR for a wait the caller interrupted, ENOLCK when the lock service
 * responsible for the file cannot be reached.
 */
public interface FileLocks {

    /** F_GETLK: a lock in the way of this request, if any ({@code pid} 0 when held through another member). */
    Optional<HeldLock> test(long ino, long owner, long pid, LockType type, long start, long end);

    /**
     * F_SETLK / F_SETLKW: takes the lock, or fails with EAGAIN; when {@code wait}, blocks until granted, polling
     * {@code interrupted} (then EINTR).
     */
    void lock(long ino, long owner, long pid, LockType type, long start, long end, boolean wait,
              BooleanSupplier interrupted);

    /** F_UNLCK on {@code [start, end]}. */
    void unlock(long ino, long owner, long start, long end);

    /** close(2) through {@code owner}: all its POSIX locks on the file go, and its waits there are withdrawn. */
    void unlockAll(long ino, long owner);

    /** flock(2) LOCK_SH / LOCK_EX (EAGAIN, i.e. EWOULDBLOCK, for LOCK_NB in conflict). */
    void flock(long ino, long owner, long pid, LockType type, boolean wait, BooleanSupplier interrupted);

    /** flock(2) LOCK_UN, also at the last close of the open file description. */
    void unflock(long ino, long owner);
}
