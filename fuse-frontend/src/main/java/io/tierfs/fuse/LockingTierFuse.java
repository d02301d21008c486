package io.tierfs.fuse;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.lock.FileLocks;
import io.tierfs.lock.HeldLock;
import io.tierfs.lock.LockType;
import io.tierfs.vfs.Vfs;
import ru.serce.jnrfuse.struct.Flock;
import ru.serce.jnrfuse.struct.FuseFileInfo;

import java.util.Optional;

/**
 * The adapter with fcntl record locks and flock(2) served by {@link FileLocks} (locks across cluster members)
 * instead of by the kernel on this machine alone. jnr-fuse hands libfuse only the callbacks a class overrides
 * (those of {@code FuseStubFS} are marked {@code @NotImplemented}), so this subclass is what turns remote locking
 * on: with a plain {@link TierFuse} the kernel keeps the locks locally, which is exact for a one-node mount.
 * <p>
 * Needs libfuse's multithreaded loop: F_SETLKW and a blocking flock keep their handler thread until granted, and
 * with {@code -s} the unlock by the holder (a process on the same machine) could never be served.
 * <p>
 * Close: libfuse 2.9 calls {@code lock(F_SETLK, F_UNLCK, whole file)} after every flush when a lock operation is
 * registered (a process's POSIX locks die with any of its descriptors of the file). A flock lock dies at the release
 * of the open file description (its handle) that took it: this adapter remembers which handle took one and drops it
 * in {@code release} itself (the test showed no {@code flock(LOCK_UN)} from libfuse 2.9 at release).
 */
public final class LockingTierFuse extends TierFuse {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LockingTierFuse.class);
    static final int F_GETLK = 5;
    static final int F_SETLK = 6;
    static final int F_SETLKW = 7;
    static final int F_RDLCK = 0;
    static final int F_WRLCK = 1;
    static final int F_UNLCK = 2;
    static final int LOCK_SH = 1;
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;
    static final int LOCK_UN = 8;
    private static final int SEEK_SET = 0;

    private final FileLocks locks;
    /**
     * The flock lock taken through each open handle (one handle per open file description, the flock owner):
     * released at the handle's release whatever libfuse and the kernel do about {@code flock_release}.
     */
    private final java.util.concurrent.ConcurrentHashMap<Long, FlockHeld> flocks =
            new java.util.concurrent.ConcurrentHashMap<>();

    private record FlockHeld(long ino, long owner) {
    }

    public LockingTierFuse(Vfs vfs, FileLocks locks) {
        super(vfs);
        this.locks = locks;
    }

    @Override
    public int lock(String path, FuseFileInfo fi, int cmd, Flock flock) {
        long fh = fi.fh.get();
        long owner = fi.lock_owner.get();
        return run("lock", path, () -> {
            long ino = vfs().inoOf(fh);
            int type = flock.l_type.get();
            long start = flock.l_start.get();
            long len = flock.l_len.get();
            if (start < 0 || len < 0) {
                throw FsException.of(Errno.EINVAL, "lock range start %d length %d", start, len);
            }
            long end = len == 0 ? HeldLock.TO_EOF : start + len - 1;
            switch (cmd) {
                case F_GETLK -> {
                    Optional<HeldLock> c = locks.test(ino, owner, callerPid(), type(type), start, end);
                    if (c.isEmpty()) {
                        flock.l_type.set(F_UNLCK);
                    } else {
                        HeldLock h = c.get();
                        flock.l_type.set(h.type() == LockType.WRITE ? F_WRLCK : F_RDLCK);
                        flock.l_whence.set(SEEK_SET);
                        flock.l_start.set(h.start());
                        flock.l_len.set(h.end() == HeldLock.TO_EOF ? 0 : h.end() - h.start() + 1);
                        flock.l_pid.set(h.pid());
                    }
                }
                case F_SETLK, F_SETLKW -> {
                    if (type == F_UNLCK) {
                        if (start == 0 && end == HeldLock.TO_EOF) {
                            locks.unlockAll(ino, owner); // also what libfuse sends after each flush (close)
                        } else {
                            locks.unlock(ino, owner, start, end);
                        }
                    } else {
                        locks.lock(ino, owner, callerPid(), type(type), start, end, cmd == F_SETLKW,
                                FuseInterrupts::currentRequestInterrupted);
                    }
                }
                default -> throw FsException.of(Errno.EINVAL, "lock command %d", cmd);
            }
        });
    }

    /** The last close of an open file description: its flock lock goes (flock(2) semantics). */
    @Override
    public int release(String path, FuseFileInfo fi) {
        FlockHeld held = flocks.remove(fi.fh.get());
        if (held != null) {
            int rc = run("flock-release", path, () -> locks.unflock(held.ino(), held.owner()));
            if (rc != 0) {
                log.warn("the flock lock of {} (inode {}) was not released at close: errno {}", path, held.ino(), -rc);
            }
        }
        return super.release(path, fi);
    }

    private static LockType type(int fcntlType) {
        return switch (fcntlType) {
            case F_RDLCK -> LockType.READ;
            case F_WRLCK -> LockType.WRITE;
            default -> throw FsException.of(Errno.EINVAL, "lock type %d", fcntlType);
        };
    }

    @Override
    public int flock(String path, FuseFileInfo fi, int op) {
        long fh = fi.fh.get();
        long owner = fi.lock_owner.get();
        return run("flock", path, () -> {
            long ino = vfs().inoOf(fh);
            boolean wait = (op & LOCK_NB) == 0;
            switch (op & ~LOCK_NB) {
                case LOCK_SH -> {
                    locks.flock(ino, owner, callerPid(), LockType.READ, wait,
                            FuseInterrupts::currentRequestInterrupted);
                    flocks.put(fh, new FlockHeld(ino, owner));
                }
                case LOCK_EX -> {
                    locks.flock(ino, owner, callerPid(), LockType.WRITE, wait,
                            FuseInterrupts::currentRequestInterrupted);
                    flocks.put(fh, new FlockHeld(ino, owner));
                }
                case LOCK_UN -> {
                    flocks.remove(fh);
                    locks.unflock(ino, owner);
                }
                default -> throw FsException.of(Errno.EINVAL, "flock operation %d", op);
            }
        });
    }
}
