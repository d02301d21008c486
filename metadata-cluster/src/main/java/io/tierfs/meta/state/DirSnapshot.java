package io.tierfs.meta.state;

import java.util.List;
import java.util.Map;

/**
 * The persisted snapshot of a {@link DirState}: an immutable copy taken in the entity's thread. {@code answers}:
 * the clients' last answers, least recently answered first (null in snapshots older than request ids);
 * {@code closed}: the recently closed rename intents, oldest first (null in snapshots older than that table).
 */
public record DirSnapshot(long ino, boolean initialized, long parent, InodeSnapshot self, int subdirs,
                          boolean removing, boolean removed, Map<String, Dentry> entries,
                          Map<Long, InodeSnapshot> homed, List<RenameIntent> intents,
                          List<DirEvent.Answered> answers, List<DirEvent.IntentClosed> closed)
        implements CborSerializable {
}
