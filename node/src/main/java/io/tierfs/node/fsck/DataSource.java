package io.tierfs.node.fsck;

import java.util.List;

/**
 * The data side as the checker sees it: every inode that has chunks on some tier. Kept apart from the namespace
 * (DESIGN.md: layouts are keyed by inode, not by name), which is exactly why chunks can outlive their inode.
 */
public interface DataSource {
    List<InodeData> inodesWithData();
}
