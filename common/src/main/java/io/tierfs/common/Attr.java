package io.tierfs.common;

/**
 * The attributes of an inode, as stat(2) reports them. Times are nanoseconds since the epoch.
 * {@code mode} holds only the permission bits (07777); the type is {@link #type()}. {@code rdev} is the device
 * number of a character or block device node (Linux encoding, as mknod(2) takes it), else 0; records journaled
 * before it existed read back as 0.
 */
public record Attr(long ino, FileType type, int mode, int nlink, int uid, int gid, long size,
                   long atimeNs, long mtimeNs, long ctimeNs, long rdev) {

    public Attr {
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode must hold permission bits only: 0" + Integer.toOctalString(mode));
        }
    }

    /** Attributes of an inode that is not a device node (rdev 0). */
    public Attr(long ino, FileType type, int mode, int nlink, int uid, int gid, long size,
                long atimeNs, long mtimeNs, long ctimeNs) {
        this(ino, type, mode, nlink, uid, gid, size, atimeNs, mtimeNs, ctimeNs, 0L);
    }

    /** st_mode: type bits and permission bits. */
    public int stMode() {
        return type.ifmt() | mode;
    }

    public Attr withSize(long newSize) {
        return new Attr(ino, type, mode, nlink, uid, gid, newSize, atimeNs, mtimeNs, ctimeNs, rdev);
    }

    public Attr withNlink(int newNlink) {
        return new Attr(ino, type, mode, newNlink, uid, gid, size, atimeNs, mtimeNs, ctimeNs, rdev);
    }

    public Attr withMode(int newMode) {
        return new Attr(ino, type, newMode, nlink, uid, gid, size, atimeNs, mtimeNs, ctimeNs, rdev);
    }

    public Attr withOwner(int newUid, int newGid) {
        return new Attr(ino, type, mode, nlink, newUid, newGid, size, atimeNs, mtimeNs, ctimeNs, rdev);
    }

    public Attr withTimes(long newAtime, long newMtime, long newCtime) {
        return new Attr(ino, type, mode, nlink, uid, gid, size, newAtime, newMtime, newCtime, rdev);
    }
}
