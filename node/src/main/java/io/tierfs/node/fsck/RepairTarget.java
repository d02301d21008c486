package io.tierfs.node.fsck;

import io.tierfs.meta.state.Dentry;

/**
 * The changes a repair can make, each one idempotent single-entity command (or a delete on the tiers); what to
 * change was decided by the checker. Implemented over the directory entities' gateway
 * ({@link GatewayRepairTarget}). Failures are thrown as {@link io.tierfs.common.FsException}.
 */
public interface RepairTarget {

    /** Removes {@code name} from {@code dir} if it still points at {@code ino}; false if it did not. */
    boolean removeDentry(long dir, String name, long ino);

    /** Adds {@code name} to {@code dir} as {@code dentry} (the name must be free). */
    void addDentry(long dir, String name, Dentry dentry);

    /** Renames {@code from} (pointing at {@code ino}) to the free name {@code to} inside {@code dir}. */
    void renameLocal(long dir, String from, long ino, String to);

    /** Changes nlink of an inode homed in {@code home} by {@code delta}; at 0 the inode is gone. */
    void adjustLink(long home, long ino, int delta);

    /** Frees every chunk of {@code ino} on every tier. */
    void deleteData(long ino);

    void setParent(long dir, long parent);

    /** Marks an empty directory removed (refused if it is not empty). */
    void discardDir(long dir);

    /** The inode of /lost+found, created (mode 0700, owned by root) if absent. */
    long lostAndFound();

    /** Names {@code child} (a directory) {@code name} in {@code dir}. */
    void addSubdir(long dir, String name, long child);
}
