package io.tierfs.node.fsck;

import io.tierfs.common.Attr;
import io.tierfs.meta.state.Dentry;
import io.tierfs.meta.state.RenameIntent;

import java.util.List;
import java.util.Optional;

/**
 * One inconsistency the checker found. Each kind knows the repair that is safe for it (none when only an operator
 * can decide, with the reason in {@link #manual()}), so that deciding what to change stays with the pure checker
 * and {@link Repairer} only carries it out.
 */
public sealed interface Problem {

    ProblemKind kind();

    /** Where: a path from the root (or from an unreachable directory, {@code <unreachable N>/...}), else "ino N". */
    String subject();

    /** The inode the problem is about. */
    long ino();

    /** What is wrong, in one line. */
    String detail();

    /** The safe repair; empty when there is none. */
    Optional<RepairAction> repair();

    /** Bytes on the tiers that the problem holds (orphan inodes and chunks); 0 for the others. */
    default long dataBytes() {
        return 0;
    }

    /** Why there is no automatic repair (null when there is one, or nothing needs doing). */
    default String manual() {
        return null;
    }

    /** A name whose inode does not exist (at its home, or as a live directory). */
    record DanglingDentry(String subject, long dir, String name, long ino, String detail) implements Problem {
        public ProblemKind kind() {
            return ProblemKind.DANGLING_DENTRY;
        }

        public Optional<RepairAction> repair() {
            return Optional.of(new RepairAction.RemoveDentry(dir, name, ino));
        }
    }

    /** A name whose inode exists, but the dentry records the wrong home or type. */
    record BadDentry(String subject, long dir, String name, Dentry found, Dentry actual) implements Problem {
        public ProblemKind kind() {
            return ProblemKind.BAD_DENTRY;
        }

        public long ino() {
            return actual.ino();
        }

        public String detail() {
            return "ino " + found.ino() + ": the name says " + found.type() + " at home " + found.home() + ", the inode is "
                    + actual.type() + " at home " + actual.home();
        }

        public Optional<RepairAction> repair() {
            return Optional.of(new RepairAction.ReplaceDentry(dir, name, actual.ino(), actual));
        }
    }

    /** nlink of a file, symlink or FIFO differs from the number of names that point at it (at least one). */
    record WrongLinkCount(String subject, long ino, long home, int recorded, int counted) implements Problem {
        public ProblemKind kind() {
            return ProblemKind.WRONG_NLINK;
        }

        public String detail() {
            return "ino " + ino + " (home " + home + "): nlink " + recorded + ", " + counted + " name(s) point at it";
        }

        public Optional<RepairAction> repair() {
            return Optional.of(new RepairAction.SetLinkCount(home, ino, recorded, counted));
        }
    }

    /** A directory's nlink differs from 2 + its subdirectories (derived by the entity: only a bug makes this). */
    record WrongDirLinkCount(String subject, long ino, int recorded, int expected) implements Problem {
        public ProblemKind kind() {
            return ProblemKind.WRONG_DIR_NLINK;
        }

        public String detail() {
            return "directory " + ino + ": nlink " + recorded + ", expected " + expected + " (2 + subdirectories)";
        }

        public Optional<RepairAction> repair() {
            return Optional.empty();
        }

        public String manual() {
            return "the directory entity derives nlink itself; report this as a bug";
        }
    }

    /** The same inode number is homed in two directories: the allocator handed it out twice. */
    record DuplicateInode(long ino, long home, long otherHome) implements Problem {
        public ProblemKind kind() {
            return ProblemKind.DUPLICATE_INODE;
        }

        public String subject() {
            return "ino " + ino;
        }

        public String detail() {
            return "homed in directory " + home + " and in directory " + otherHome;
        }

        public Optional<RepairAction> repair() {
            return Optional.empty();
        }

        public String manual() {
            return "names cannot tell the two inodes apart; copy the files out and remove both";
        }
    }

    /**
     * A directory has a name besides the one in its recorded parent (a hard-linked directory), or a name inside
     * its own subtree ({@code cycle}). Removable when the directory stays reachable from the root by its true name.
     */
    record ExtraDirName(String subject, long dir, String name, long ino, boolean cycle, boolean removable)
            implements Problem {
        public ProblemKind kind() {
            return cycle ? ProblemKind.CYCLE : ProblemKind.EXTRA_DIR_NAME;
        }

        public String detail() {
            return "directory " + ino + (cycle ? " is named inside its own subtree" : " has another name in its parent");
        }

        public Optional<RepairAction> repair() {
            return removable ? Optional.of(new RepairAction.RemoveDentry(dir, name, ino)) : Optional.empty();
        }

        public String manual() {
            return removable ? null : "no name of it in its recorded parent leads to the root; choose one by hand";
        }
    }

    /** A directory named exactly once whose parent pointer (what ".." resolves to) names another directory. */
    record WrongParent(String subject, long ino, long recorded, long actual) implements Problem {
        public ProblemKind kind() {
            return ProblemKind.WRONG_PARENT;
        }

        public String detail() {
            return "directory " + ino + ": parent pointer " + recorded + ", named in directory " + actual;
        }

        public Optional<RepairAction> repair() {
            return Optional.of(new RepairAction.SetParent(ino, actual));
        }
    }

    /** What an unreachable directory looks like, which decides its repair. */
    enum Shape {
        /** Holds no name: a crashed mkdir or rmdir left it; discarding it loses nothing. */
        EMPTY,
        /** Holds names: reattached under /lost+found. */
        NON_EMPTY,
        /** Its parent pointers go round in a loop: only an operator can say where it belongs. */
        CYCLE,
        /** A removed directory that still holds names (they keep their inodes alive). */
        REMOVED_WITH_NAMES,
        /** The child or victim of a rename still pending: recovery moves it. */
        RENAME_PENDING
    }

    /** A live directory that no walk from the root reaches; {@code members} are the loop for {@link Shape#CYCLE}. */
    record UnreachableDir(String subject, long ino, long parent, Shape shape, List<Long> members) implements Problem {
        public UnreachableDir {
            members = List.copyOf(members);
        }

        public ProblemKind kind() {
            return shape == Shape.CYCLE ? ProblemKind.CYCLE : ProblemKind.UNREACHABLE_DIR;
        }

        public String detail() {
            return switch (shape) {
                case EMPTY -> "empty directory " + ino + " is named nowhere (parent pointer " + parent + ")";
                case NON_EMPTY -> "directory " + ino + " and its subtree are named nowhere reachable (parent pointer "
                        + parent + ")";
                case CYCLE -> "directories " + members + " are each other's parents, not reachable from /";
                case REMOVED_WITH_NAMES -> "removed directory " + ino + " still holds names";
                case RENAME_PENDING -> "directory " + ino + " is in a rename that is still pending";
            };
        }

        public Optional<RepairAction> repair() {
            return switch (shape) {
                case EMPTY -> Optional.of(new RepairAction.DiscardDir(ino));
                case NON_EMPTY -> Optional.of(new RepairAction.Reattach(ino));
                default -> Optional.empty();
            };
        }

        public String manual() {
            return switch (shape) {
                case CYCLE -> "break the loop by hand (no name of it leads to the root)";
                case REMOVED_WITH_NAMES -> "a removed directory cannot be revived; its names keep their inodes";
                case RENAME_PENDING -> "run fsck again once recovery has finished the rename";
                default -> null;
            };
        }
    }

    /** An inode homed in a directory that no name anywhere points at: leaked (with its data, if any). */
    record OrphanInode(String subject, long ino, long home, Attr attr, long dataBytes) implements Problem {
        public ProblemKind kind() {
            return ProblemKind.ORPHAN_INODE;
        }

        public String detail() {
            return attr.type() + " ino " + ino + " homed in directory " + home + ", nlink " + attr.nlink() + ", size "
                    + attr.size() + ", " + dataBytes + " bytes on the tiers; no name points at it";
        }

        public Optional<RepairAction> repair() {
            return Optional.of(new RepairAction.RemoveInode(home, ino, attr.nlink(), dataBytes));
        }
    }

    /**
     * A cross-directory rename of a directory that a crash interrupted; the node re-drives such intents when the
     * directory recovers, so it is reported, and {@code settled} says whether recovery finished it during this run.
     */
    record PendingRename(String subject, long dir, RenameIntent intent, boolean settled) implements Problem {
        public ProblemKind kind() {
            return ProblemKind.PENDING_RENAME;
        }

        public long ino() {
            return intent.child();
        }

        public String detail() {
            return "rename of directory " + intent.child() + " '" + intent.srcName() + "' to directory "
                    + intent.dstDir() + " '" + intent.dstName() + "' (txid " + intent.txid() + ")"
                    + (settled ? ": re-driven by recovery" : ": still pending");
        }

        public Optional<RepairAction> repair() {
            return Optional.empty();
        }

        public String manual() {
            return settled ? null : "recovery did not finish it in time; run fsck again";
        }
    }

    /** Chunks on the tiers of an inode the namespace does not have (an unlink whose data free was lost). */
    record OrphanChunks(long ino, int chunks, long bytes) implements Problem {
        public ProblemKind kind() {
            return ProblemKind.ORPHAN_CHUNKS;
        }

        public String subject() {
            return "ino " + ino;
        }

        public String detail() {
            return chunks + " chunk(s), " + bytes + " bytes on the tiers, of an inode that does not exist";
        }

        public long dataBytes() {
            return bytes;
        }

        public Optional<RepairAction> repair() {
            return Optional.of(new RepairAction.FreeChunks(ino, bytes));
        }
    }
}
