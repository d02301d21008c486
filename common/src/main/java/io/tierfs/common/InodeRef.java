package io.tierfs.common;

/**
 * Where an inode lives: its number and the directory entity that holds its attributes (its "home").
 * A directory is its own home; a regular file or symlink is embedded in the directory it was created in
 * (as CephFS embeds inodes in dirfrags) and stays there for its whole life, so that hard links and
 * open handles never chase a moving inode.
 */
public record InodeRef(long ino, long home) {
    public static final long ROOT_INO = 1L;
    public static final InodeRef ROOT = new InodeRef(ROOT_INO, ROOT_INO);

    public boolean isDirectoryRef() {
        return ino == home;
    }
}
