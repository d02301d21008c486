package io.tierfs.common;

/**
 * The POSIX error numbers TierFS can return (Linux x86_64 values).
 * Internals throw {@link FsException} carrying one of these; only the FUSE edge turns it into {@code -errno}.
 */
public enum Errno {
    EPERM(1), ENOENT(2), EINTR(4), EIO(5), E2BIG(7), EBADF(9), EAGAIN(11), ENOMEM(12), EACCES(13), EBUSY(16), EEXIST(17),
    EXDEV(18), ENOTDIR(20), EISDIR(21), EINVAL(22), EFBIG(27), ENOSPC(28), EROFS(30), EMLINK(31),
    ERANGE(34), ENAMETOOLONG(36), ENOLCK(37), ENOSYS(38), ENOTEMPTY(39), ELOOP(40), ENODATA(61), ENOTSUP(95),
    ETIMEDOUT(110), ESTALE(116);

    private final int code;

    Errno(int code) {
        this.code = code;
    }

    /** The positive Linux errno value. */
    public int code() {
        return code;
    }
}
