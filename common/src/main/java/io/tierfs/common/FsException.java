package io.tierfs.common;

/**
 * A file-system operation failed with a well-defined POSIX error. Expected conditions (ENOENT, EEXIST, ...)
 * are thrown without a cause and logged without a stack trace; unexpected ones wrap their cause as EIO.
 */
public class FsException extends RuntimeException {
    private final Errno errno;

    public FsException(Errno errno, String message) {
        super(errno.name() + ": " + message, null, false, false);
        this.errno = errno;
    }

    public FsException(Errno errno, String message, Throwable cause) {
        super(errno.name() + ": " + message, cause);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }

    public static FsException of(Errno errno, String format, Object... args) {
        return new FsException(errno, String.format(format, args));
    }
}
