package io.tierfs.node.fsck;

import io.tierfs.common.Attr;
import io.tierfs.meta.state.RenameIntent;

import java.util.List;

/**
 * What the checker knows of one directory entity before the walk: its recorded parent, its attributes (nlink is
 * 0 once the directory was removed: a removed entity still holds the inodes homed in it) and the rename intents
 * it has not closed.
 */
public record DirInfo(long ino, long parent, Attr attr, List<RenameIntent> intents) {
    public DirInfo {
        intents = List.copyOf(intents);
    }

    /** rmdir (or a rename over it) finished: no name may point at it any more. */
    public boolean removed() {
        return attr.nlink() == 0;
    }
}
