package io.tierfs.meta.state;

import io.tierfs.common.FileType;

/**
 * A cross-directory rename (of a file or a directory), persisted in the source directory as its first step: the
 * same journal write removes the source name, so from then on the rename is decided and only rolled forward
 * (target name, victim, parent pointer or ctime, close), unless the target refuses the name for good (then the
 * close puts the source name back). See {@code io.tierfs.meta.client.CrossDirRename} for the steps.
 * <p>
 * {@code movedEntry} is the source dentry (ino, type, home), {@code victimEntry} the dentry the target name had
 * when the rename was decided (null: none). Intents persisted before these fields existed were always directory
 * renames whose source name stayed until the close: {@link #moved()} and {@link #victimDentry()} rebuild their
 * dentries from {@code child} and {@code victim}.
 *
 * @param txid   unique id (an inode number from the allocator), also the idempotency token of the victim's nlink-1
 * @param child  the moved inode
 * @param victim the inode replaced at the target (0: none)
 */
public record RenameIntent(long txid, String srcName, long child, long dstDir, String dstName, long victim,
                           Dentry movedEntry, Dentry victimEntry) implements CborSerializable {

    public static RenameIntent of(long txid, String srcName, Dentry moved, long dstDir, String dstName,
                                  Dentry victim) {
        return new RenameIntent(txid, srcName, moved.ino(), dstDir, dstName, victim == null ? 0 : victim.ino(),
                moved, victim);
    }

    /** The moved dentry as the source held it. */
    public Dentry moved() {
        return movedEntry != null ? movedEntry : new Dentry(child, FileType.DIRECTORY, child);
    }

    /** The dentry the rename replaces at the target, or null. */
    public Dentry victimDentry() {
        if (victimEntry != null) {
            return victimEntry;
        }
        return victim == 0 ? null : new Dentry(victim, FileType.DIRECTORY, victim);
    }

    public boolean movesDirectory() {
        return moved().isDir();
    }

    /** The same intent with the moved dentry as the source directory knows it. */
    public RenameIntent withMoved(Dentry d) {
        return new RenameIntent(txid, srcName, d.ino(), dstDir, dstName, victim, d, victimEntry);
    }
}
