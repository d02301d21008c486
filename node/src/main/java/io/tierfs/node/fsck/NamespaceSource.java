package io.tierfs.node.fsck;

import io.tierfs.common.Attr;
import io.tierfs.common.DirEntry;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.RenameIntent;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The read-only view of the namespace that {@link NamespaceChecker} walks: single-entity questions to directory
 * entities, plus the list of every directory entity that exists (reachable or not), which no walk from the root
 * can give. Implemented over the directory entities' gateway ({@link GatewaySource}) and, in tests, over the
 * in-process namespace.
 */
public interface NamespaceSource {

    /** Every directory entity that ever persisted something: live, removed, reachable or not. */
    List<Long> directoryIds();

    /** The directory's facts; empty when no directory with this number was ever created. */
    Optional<DirInfo> dir(long ino);

    /**
     * The directory's rename intents not yet closed; empty when there is no such directory. The first question
     * to a directory that was not running yet: its recovery re-drives them, but answers this before.
     */
    List<RenameIntent> pendingIntents(long dir);

    /** Up to {@code max} names sorting after {@code after} (null: from the start). */
    List<DirEntry> readdir(long dir, String after, int max);

    /** The dentry behind a name: tells the home of a name whose inode lives in another directory. */
    Dentry lookup(long dir, String name);

    /** Up to {@code max} inodes homed in {@code dir} with numbers above {@code after}, by number. */
    List<Attr> homed(long dir, long after, int max);

    /** The attributes of inode {@code ino} at its home {@code home}; empty when the home does not hold it. */
    Optional<Attr> getattr(long home, long ino);

    /**
     * Waits until the directories' recovery has re-driven their pending rename intents (a node re-drives them as
     * soon as such a directory starts). True when none is pending any more, false when {@code timeout} passed.
     */
    boolean awaitRenames(Collection<Long> dirs, Duration timeout);
}
