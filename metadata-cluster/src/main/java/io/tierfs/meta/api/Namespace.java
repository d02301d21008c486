package io.tierfs.meta.api;

import io.tierfs.common.Attr;
import io.tierfs.common.Caller;
import io.tierfs.common.DirEntry;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.common.SetAttr;

import java.util.List;

/**
 * The namespace as the VFS sees it: inode-addressed operations (as FUSE's low-level API and JuiceFS's meta
 * engine), blocking, each failing with an {@link FsException} that carries the POSIX errno.
 * <p>
 * Directories are addressed by inode number (a directory is its own home). Files and symlinks are addressed by
 * {@link InodeRef}: their number plus the directory entity that holds their attributes.
 * <p>
 * Permission checks on names are left to the kernel ({@code -o default_permissions}); this API enforces the
 * namespace invariants: ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL (rename into own subtree),
 * ENAMETOOLONG, EPERM (link to a directory), ENODATA/ERANGE for xattrs.
 */
public interface Namespace extends AutoCloseable {

    /** The inode that a name in a directory points at, with its attributes. ENOENT when absent. */
    Node lookup(long dir, String name);

    /** Attributes of an inode. ENOENT when it no longer exists. */
    Attr getattr(InodeRef ref);

    /**
     * Creates a regular file (or FIFO when {@code mode} carries S_IFIFO). With {@code exclusive} an existing name
     * fails with EEXIST; without it an existing regular file is returned unchanged (O_CREAT without O_EXCL).
     * {@code mode} may carry type bits; only the permission bits are stored.
     */
    Node create(long dir, String name, int mode, Caller caller, boolean exclusive);

    /**
     * mknod(2): a new regular file, FIFO, socket or character/block device node ({@code rdev} its device number,
     * ignored for the others) under a name that must not exist (EEXIST). {@code mode} carries the type bits.
     */
    Node mknod(long dir, String name, int mode, long rdev, Caller caller);

    Node mkdir(long dir, String name, int mode, Caller caller);

    Node symlink(long dir, String name, String target, Caller caller);

    String readlink(InodeRef ref);

    /** A new name for an existing non-directory inode (EPERM for directories). Returns the inode with nlink + 1. */
    Node link(InodeRef target, long dir, String name);

    /**
     * Removes a non-directory name (EISDIR for directories). The result tells whether the inode lost its last
     * link, so that its data can be freed once no handle holds it open.
     */
    Removal unlink(long dir, String name);

    /** Removes an empty directory: ENOTEMPTY, ENOTDIR, ENOENT as POSIX says. */
    void rmdir(long dir, String name);

    /**
     * rename(2): replaces an existing target of a compatible type (file over file, empty dir over dir), fails with
     * EINVAL when a directory would move into its own subtree, ENOTEMPTY over a non-empty directory, EISDIR /
     * ENOTDIR over a target of the other kind. Renaming a name onto the same inode is a no-op.
     * Returns the replaced target when its last link went away (its data can be freed), else null.
     */
    Removal rename(long srcDir, String srcName, long dstDir, String dstName);

    /** Changes attributes; a size change here changes only the recorded size (the VFS truncates the data). */
    Attr setattr(InodeRef ref, SetAttr change, Caller caller);

    /**
     * Records the size and mtime that a writer reached (on flush, fsync and close). The size only grows through
     * this call unless {@code exact} is set (after a truncate).
     */
    Attr updateSize(InodeRef ref, long size, long mtimeNs, boolean exact);

    /** Up to {@code max} entries whose names sort after {@code after} (null: from the start), without . and .. */
    List<DirEntry> readdir(long dir, String after, int max);

    /** flags: 0, XATTR_CREATE (1: EEXIST if present) or XATTR_REPLACE (2: ENODATA if absent). */
    void setxattr(InodeRef ref, String name, byte[] value, int flags);

    /** ENODATA when absent. */
    byte[] getxattr(InodeRef ref, String name);

    List<String> listxattr(InodeRef ref);

    /** ENODATA when absent. */
    void removexattr(InodeRef ref, String name);

    /** Counts for statfs: how many inodes exist. */
    long inodeCount();

    /**
     * Barrier: returns when every operation acknowledged by directory {@code dir} before the call is durable in the
     * journal. Operations confined to one directory (create, mkdir's name, symlink, unlink of a name homed there,
     * rename inside a directory, setattr, updateSize, xattr changes) are acknowledged before they are durable
     * (within milliseconds); a crash (kill -9) may take back such operations of the last moments unless a sync
     * covering them returned, as a local file system loses un-fsynced metadata. The VFS calls it on fsync(file)
     * for the file's home directory and for its name's parent directory, and on fsyncdir(dir).
     * A crash never breaks the namespace invariants (nlink never too low, no name pointing at a missing inode).
     */
    void sync(long dir);

    /**
     * {@link #sync} for every directory this client has changed with an early acknowledgement since the last
     * syncAll (the unmount barrier). Operations of other clients are not covered.
     */
    void syncAll();

    /** Releases the client; makes its early-acknowledged operations durable first ({@link #syncAll()}). */
    @Override
    void close();

    int XATTR_CREATE = 1;
    int XATTR_REPLACE = 2;
}
