package io.tierfs.meta.state;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tierfs.common.Caller;
import io.tierfs.common.FileType;
import io.tierfs.common.SetAttr;

/**
 * What a client asks of one directory entity. The client picks inode numbers and transaction ids, so most mutating
 * commands are idempotent anyway; a retry after a timeout is made exactly-once by the request id the clustered
 * client attaches (the entity answers it from its {@link AnswerTable}). The reply types are documented per
 * command (they are persisted in {@link DirEvent.Answered}); {@link DirLogic} validates and produces events.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS)
public sealed interface DirCommand extends CborSerializable {

    /** True when the command cannot change state (answered without persisting). */
    default boolean readOnly() {
        return false;
    }

    /** Creates this directory. Reply: Attr. */
    record InitDir(long parent, int mode, int uid, int gid) implements DirCommand {
    }

    /** Reply: {@link Replies.Entry}. */
    record Lookup(String name) implements DirCommand {
        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /** Attributes of this directory (ino == self) or of a homed inode. Reply: Attr. */
    record GetAttr(long ino) implements DirCommand {
        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /** Reply: Long (the parent ino). */
    record GetParent() implements DirCommand {
        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /**
     * Creates and homes a file, FIFO, socket, device node or symlink under a new name; {@code rdev} is a device
     * node's number (0 otherwise, and in commands journaled before it existed). Reply: {@link Replies.Entry}.
     */
    record CreateInode(String name, long ino, FileType type, int mode, int uid, int gid, String target,
                       boolean exclusive, long rdev) implements DirCommand {
        /** A create of anything but a device node. */
        public CreateInode(String name, long ino, FileType type, int mode, int uid, int gid, String target,
                           boolean exclusive) {
            this(name, ino, type, mode, uid, gid, target, exclusive, 0L);
        }
    }

    /** mkdir step 2: the name for an already initialized child directory. Reply: {@link Replies.Entry}. */
    record AddSubdir(String name, long child) implements DirCommand {
    }

    /** A new name for an inode homed here (link within its home); EEXIST if the name exists. Reply: Entry. */
    record LinkLocal(String name, long ino) implements DirCommand {
    }

    /** A remote dentry for a hard link (the home already counted it); EEXIST if the name exists. Reply: Entry. */
    record AddRemote(String name, Dentry dentry) implements DirCommand {
    }

    /**
     * Changes nlink of a homed inode by delta (ctime = now). Reply: {@link io.tierfs.meta.api.Removal}.
     * {@code token} != 0 makes it apply at most once: the inode remembers the last tokens it applied (a re-driven
     * rename drops its victim's link with its txid as token, however often the step is delivered).
     */
    record AdjustLink(long ino, int delta, long token) implements DirCommand {
        public AdjustLink(long ino, int delta) {
            this(ino, delta, 0);
        }
    }

    /** Removes a non-directory name. Reply: {@link Replies.Unlinked}. */
    record Unlink(String name) implements DirCommand {
    }

    /** Removes a name if it still points at {@code ino} (no-op otherwise). Reply: Boolean (removed). */
    record RemoveDentry(String name, long ino) implements DirCommand {
    }

    /**
     * Sets a name to {@code dentry}, replacing the dentry of inode {@code victim} (0: the name must be free).
     * Idempotent when the name already points at the same inode. Reply: {@link Replies.Replaced}.
     */
    record PutDentry(String name, Dentry dentry, long victim) implements DirCommand {
    }

    /** Rename inside this directory: srcName (inode src) becomes dstName, replacing victim. Reply: Replaced. */
    record RenameLocal(String srcName, long src, String dstName, long victim) implements DirCommand {
    }

    /** rmdir step 1, on the child: ENOTEMPTY unless empty, then refuses new names. Reply: Boolean. */
    record MarkRemoving() implements DirCommand {
    }

    record CancelRemoving() implements DirCommand {
    }

    /** rmdir last step, on the child. Reply: Boolean. */
    record MarkRemoved() implements DirCommand {
    }

    /** Rename of a directory, on the child. Reply: Boolean. */
    record SetParent(long parent) implements DirCommand {
    }

    record ReadLink(long ino) implements DirCommand {
        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /** Reply: Attr. */
    record SetAttrs(long ino, SetAttr change, Caller caller) implements DirCommand {
    }

    /** Reply: Attr. */
    record UpdateSize(long ino, long size, long mtimeNs, boolean exact) implements DirCommand {
    }

    /** Reply: List of DirEntry. */
    record Readdir(String after, int max) implements DirCommand {
        @Override
        public boolean readOnly() {
            return true;
        }
    }

    record SetXattr(long ino, String name, byte[] value, int flags) implements DirCommand {
    }

    record GetXattr(long ino, String name) implements DirCommand {
        @Override
        public boolean readOnly() {
            return true;
        }
    }

    record ListXattr(long ino) implements DirCommand {
        @Override
        public boolean readOnly() {
            return true;
        }
    }

    record RemoveXattr(long ino, String name) implements DirCommand {
    }

    /**
     * Cross-directory rename (file or directory), step 1 in the source: persists the intent and removes the source
     * name in one write (the moved inode stays homed where it is). EAGAIN when the name no longer names the
     * intent's inode. Idempotent for the same txid while the intent is pending; a duplicate delivered after the
     * intent was undone would open it again, which request-id deduplication of the transport must prevent (as for
     * every late duplicate of PutDentry or SetParent after a later rename). Reply: Boolean.
     */
    record BeginDirRename(RenameIntent intent) implements DirCommand {
    }

    /**
     * Last step of a cross-directory rename, in the source: {@code removeName} = the rename is done (an intent of
     * the old form still holding its source name loses it now); false = undo: the source name comes back. A no-op
     * (reply false) when the intent is no longer pending. Reply: Boolean.
     */
    record CloseDirRename(long txid, boolean removeName) implements DirCommand {
    }

    /**
     * What became of rename {@code txid} of this source directory: pending, done, undone (remembered for
     * {@link ClosedIntents#TTL}) or unknown. Asked by a coordinator that left its rename to the re-drive, with the
     * rename's own txid, until its deadline. Reply: {@link Replies.RenameOutcome}.
     */
    record RenameOutcome(long txid) implements DirCommand {
        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /** The pending rename intents (for a re-drive). Reply: List of RenameIntent. */
    record PendingIntents() implements DirCommand {
        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /** How many inodes this entity holds (itself plus homed ones). Reply: Long. */
    record CountInodes() implements DirCommand {
        @Override
        public boolean readOnly() {
            return true;
        }
    }

    /**
     * Up to {@code max} inodes homed here whose numbers are above {@code after}, by number (the namespace checker
     * pages through them to find inodes that no name points at). Reply: List of Attr.
     */
    record ListHomed(long after, int max) implements DirCommand {
        @Override
        public boolean readOnly() {
            return true;
        }
    }
}
