package io.tierfs.node.fsck;

/** The kinds of problem fsck reports, with the label printed on each problem line and used in --json. */
public enum ProblemKind {
    DANGLING_DENTRY("dangling-dentry"),
    BAD_DENTRY("bad-dentry"),
    WRONG_NLINK("wrong-nlink"),
    WRONG_DIR_NLINK("wrong-dir-nlink"),
    DUPLICATE_INODE("duplicate-inode"),
    EXTRA_DIR_NAME("extra-dir-name"),
    CYCLE("cycle"),
    WRONG_PARENT("wrong-parent"),
    UNREACHABLE_DIR("unreachable-dir"),
    ORPHAN_INODE("orphan-inode"),
    PENDING_RENAME("pending-rename"),
    ORPHAN_CHUNKS("orphan-chunks");

    private final String label;

    ProblemKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
