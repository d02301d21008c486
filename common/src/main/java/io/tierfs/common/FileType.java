package io.tierfs.common;

/**
 * The kinds of inode the namespace knows, with their S_IFMT bits. Device nodes and sockets are names with
 * attributes only (their I/O never reaches the file system: the kernel serves it, or refuses it on a nodev mount).
 */
public enum FileType {
    REGULAR(0100000), DIRECTORY(0040000), SYMLINK(0120000), FIFO(0010000), CHAR_DEVICE(0020000),
    BLOCK_DEVICE(0060000), SOCKET(0140000);

    private final int ifmt;

    FileType(int ifmt) {
        this.ifmt = ifmt;
    }

    /** The S_IFMT bits of st_mode for this type. */
    public int ifmt() {
        return ifmt;
    }

    public static FileType fromMode(int mode) {
        int fmt = mode & 0170000;
        for (FileType t : values()) {
            if (t.ifmt == fmt) {
                return t;
            }
        }
        throw FsException.of(Errno.EINVAL, "unsupported file type in mode 0%o", mode);
    }

    /** Whether this type carries a device number (st_rdev). */
    public boolean isDevice() {
        return this == CHAR_DEVICE || this == BLOCK_DEVICE;
    }

    /** Whether mknod(2) makes this type here: everything but directories and symlinks. */
    public boolean isMknodType() {
        return this != DIRECTORY && this != SYMLINK;
    }
}
