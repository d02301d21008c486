package io.tierfs.common;

/** The kinds of inode the namespace knows, with their S_IFMT bits. */
public enum FileType {
    REGULAR(0100000), DIRECTORY(0040000), SYMLINK(0120000), FIFO(0010000);

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
}
