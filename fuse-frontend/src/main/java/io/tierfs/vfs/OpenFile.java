package io.tierfs.vfs;

/** One open handle (a FUSE fh): its flags and the shared state of its inode. */
record OpenFile(long fh, int flags, OpenInode inode) {
    boolean append() {
        return OpenFlags.has(flags, OpenFlags.O_APPEND);
    }
}
