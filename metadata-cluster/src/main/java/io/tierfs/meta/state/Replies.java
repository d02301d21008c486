package io.tierfs.meta.state;

import io.tierfs.common.Attr;
import io.tierfs.meta.api.Removal;

/** Reply payloads of {@link DirCommand}s that are not plain values. */
public final class Replies {
    private Replies() {
    }

    /** A name's dentry, with the attributes when the inode is homed in the answering directory (else null). */
    public record Entry(Dentry dentry, Attr attr) implements CborSerializable {
    }

    /** What an unlink removed; {@code removal} is set when the inode was homed here (else the client asks home). */
    public record Unlinked(Dentry dentry, Removal removal) implements CborSerializable {
    }

    /** What a rename/put replaced (null: nothing); {@code removal} set when the victim was homed here. */
    public record Replaced(Dentry replaced, Removal removal) implements CborSerializable {
    }

    /** What became of a cross-directory rename, as its source directory knows it ({@link DirCommand.RenameOutcome}). */
    public enum RenameState {
        /** The intent is still open: a driver is at it, or the re-drive will be. */
        PENDING,
        /** Closed as done: the name is at the target. */
        DONE,
        /** Closed as undone: the source name is back (the target refused the name for good). */
        UNDONE,
        /** Neither pending nor remembered as closed (never begun here, or closed too long ago). */
        UNKNOWN
    }

    /** The reply of {@link DirCommand.RenameOutcome}. */
    public record RenameOutcome(long txid, RenameState state) implements CborSerializable {
    }
}
