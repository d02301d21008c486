package io.tierfs.meta.state;

import io.tierfs.common.FileType;

/**
 * A name's target in a directory: the inode number, its type and its home (the directory entity that holds its
 * attributes). For a directory {@code home == ino}; for an inode embedded in this directory {@code home} is this
 * directory; a hard link or a cross-directory rename leaves a remote dentry whose home is another directory.
 */
public record Dentry(long ino, FileType type, long home) implements CborSerializable {
    public boolean isDir() {
        return type == FileType.DIRECTORY;
    }
}
