package io.tierfs.node.fsck;

import io.tierfs.meta.state.Dentry;

/**
 * One change {@link Repairer} may make, decided by the checker as safe for the problem it repairs. Every action
 * is a single-entity command (or a tier delete) that is idempotent, so a repair interrupted half-way is simply
 * run again. {@link #order()} sequences them: names first, then link counts, then what only becomes unreferenced
 * once the names are right (inodes, chunks), then directory structure.
 */
public sealed interface RepairAction {

    /** Lower runs first. */
    int order();

    /** What was done, for the report ("removed the name"). */
    String describe();

    /** Removes the name {@code name} of {@code dir} if it still points at {@code ino}. */
    record RemoveDentry(long dir, String name, long ino) implements RepairAction {
        public int order() {
            return 1;
        }

        public String describe() {
            return "removed the name";
        }
    }

    /** Replaces the name by a dentry with the inode's true home and type (the inode is kept). */
    record ReplaceDentry(long dir, String name, long ino, Dentry dentry) implements RepairAction {
        public int order() {
            return 1;
        }

        public String describe() {
            return "pointed the name at inode " + dentry.ino() + " (" + dentry.type() + ", home " + dentry.home() + ")";
        }

        /** The name the good dentry has while the bad one is replaced. */
        public static String temporaryName(long ino) {
            return ".fsck-" + ino;
        }
    }

    /** Sets nlink of a homed inode from {@code from} to {@code to} (the counted names, at least 1). */
    record SetLinkCount(long home, long ino, int from, int to) implements RepairAction {
        public int order() {
            return 2;
        }

        public String describe() {
            return "set nlink " + from + " -> " + to;
        }
    }

    /** Drops an inode that no name points at (nlink to 0) and frees its data: offline, no handle can hold it. */
    record RemoveInode(long home, long ino, int nlink, long dataBytes) implements RepairAction {
        public int order() {
            return 3;
        }

        public String describe() {
            return dataBytes > 0 ? "removed the inode and freed its data" : "removed the inode";
        }
    }

    /** Frees every chunk of an inode the namespace no longer has. */
    record FreeChunks(long ino, long bytes) implements RepairAction {
        public int order() {
            return 4;
        }

        public String describe() {
            return "freed the chunks";
        }
    }

    /** Points the directory's parent at the one directory that names it. */
    record SetParent(long dir, long parent) implements RepairAction {
        public int order() {
            return 5;
        }

        public String describe() {
            return "set the parent to directory " + parent;
        }
    }

    /** Marks an empty directory that nothing names as removed (what a crashed mkdir or rmdir leaves). */
    record DiscardDir(long dir) implements RepairAction {
        public int order() {
            return 6;
        }

        public String describe() {
            return "removed the empty directory";
        }
    }

    /** Names a non-empty directory that nothing names in /lost+found (as e2fsck does), then sets its parent. */
    record Reattach(long dir) implements RepairAction {
        public int order() {
            return 7;
        }

        public String describe() {
            return "moved it to /lost+found/" + lostFoundName(dir);
        }

        public static String lostFoundName(long dir) {
            return "#" + dir;
        }
    }
}
