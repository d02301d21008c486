package io.tierfs.meta.state;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tierfs.common.Attr;

import java.util.List;

/**
 * The facts a directory entity persists. Each event is small and deterministic: {@link DirState#apply} derives
 * everything else (subdirectory count, deletion at nlink 0) so that replay gives exactly the state that was acked.
 */
public sealed interface DirEvent extends CborSerializable {

    /** The directory came into existence (mkdir step 1, or the root at bootstrap). */
    record Initialized(long parent, Attr attr) implements DirEvent {
    }

    /** A name now points at {@code dentry}, replacing any previous one; the directory's mtime/ctime become now. */
    record DentrySet(String name, Dentry dentry, long nowNs) implements DirEvent {
    }

    /** A name went away; the directory's mtime/ctime become now. */
    record DentryRemoved(String name, long nowNs) implements DirEvent {
    }

    /** A new inode is homed here (a file, FIFO or symlink created in this directory). */
    record InodeAdded(Attr attr, String target) implements DirEvent {
    }

    /**
     * nlink of a homed inode changes by delta and its ctime becomes now; at nlink 0 the inode is deleted. A
     * {@code token} != 0 is remembered by the inode (see {@link DirCommand.AdjustLink}).
     */
    record LinkAdjusted(long ino, int delta, long nowNs, long token) implements DirEvent {
        public LinkAdjusted(long ino, int delta, long nowNs) {
            this(ino, delta, nowNs, 0);
        }
    }

    /** New attributes for a homed inode or for the directory itself (nlink is ignored for the directory). */
    record AttrSet(Attr attr) implements DirEvent {
    }

    record XattrSet(long ino, String name, byte[] value) implements DirEvent {
    }

    record XattrRemoved(long ino, String name) implements DirEvent {
    }

    /** rmdir tombstone: the directory was found empty and refuses new names from now on. */
    record RemovingSet(boolean removing) implements DirEvent {
    }

    /** The directory's name is gone: it stays only as a holder of inodes still linked elsewhere. */
    record Removed(long nowNs) implements DirEvent {
    }

    /** The directory moved under another parent (rename); its ctime becomes now. */
    record ParentSet(long parent, long nowNs) implements DirEvent {
    }

    record IntentAdded(RenameIntent intent) implements DirEvent {
    }

    /** A rename intent is finished (or aborted); when {@code removeName}, the source name goes in the same event. */
    record IntentClosed(long txid, boolean removeName, long nowNs) implements DirEvent {
    }

    /**
     * The reply to a client's mutating command, identified by the client's request ({@code client}, {@code seq}):
     * appended to that command's events, so it is durable in the same journal row. A retry of the request (its
     * reply was lost) gets this reply instead of being decided again (see {@link AnswerTable}). Only
     * successful replies have events, so {@code reply} is a plain reply value (see {@link DirCommand}).
     */
    record Answered(String client, long seq, @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object reply, long nowNs)
            implements DirEvent {
    }

    /**
     * One group commit as ONE journal row: the events a directory decided together, applied in order. A row per
     * event made the journal write (serialization, one INSERT per row) the cost of a create; a batch pays it once.
     * Journals written before batching hold the single events, which still replay as they are.
     */
    record Batch(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) List<DirEvent> events) implements DirEvent {
        public Batch {
            events = List.copyOf(events);
        }
    }
}
