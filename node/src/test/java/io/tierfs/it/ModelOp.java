package io.tierfs.it;

/**
 * One step of the randomized model check. Paths are relative to the root of the file system the step is applied
 * to, so the same step can run on the target and on the reference directory.
 */
sealed interface ModelOp {

    /** The paths the step names (not a symlink's target), for finding what the target logged about them. */
    default java.util.List<String> paths() {
        if (this instanceof Rename r) {
            return java.util.List.of(r.from(), r.to());
        } else if (this instanceof Link l) {
            return java.util.List.of(l.from(), l.to());
        } else if (this instanceof Symlink s) {
            return java.util.List.of(s.path());
        } else if (this instanceof Create c) {
            return java.util.List.of(c.path());
        } else if (this instanceof Write w) {
            return java.util.List.of(w.path());
        } else if (this instanceof Truncate t) {
            return java.util.List.of(t.path());
        } else if (this instanceof Unlink u) {
            return java.util.List.of(u.path());
        } else if (this instanceof Mkdir m) {
            return java.util.List.of(m.path());
        } else if (this instanceof Rmdir r) {
            return java.util.List.of(r.path());
        } else if (this instanceof Read r) {
            return java.util.List.of(r.path());
        }
        return java.util.List.of(((OpenUnlinkRead) this).path());
    }

    /** open(O_CREAT [| O_EXCL] [| O_TRUNC], 0644) + close. */
    record Create(String path, boolean excl, boolean trunc) implements ModelOp {
    }

    /** open(O_WRONLY [| O_CREAT]) + pwrite of {@code len} seeded bytes at {@code offset} (maybe past EOF) + close. */
    record Write(String path, boolean create, long offset, int len, long dataSeed) implements ModelOp {
    }

    /** truncate(path, size). */
    record Truncate(String path, long size) implements ModelOp {
    }

    /** rename(from, to). */
    record Rename(String from, String to) implements ModelOp {
    }

    /** link(from, to). */
    record Link(String from, String to) implements ModelOp {
    }

    /** symlink(target, path); target is a relative string that may dangle. */
    record Symlink(String target, String path) implements ModelOp {
    }

    /** unlink(path). */
    record Unlink(String path) implements ModelOp {
    }

    /** mkdir(path, 0755). */
    record Mkdir(String path) implements ModelOp {
    }

    /** rmdir(path). */
    record Rmdir(String path) implements ModelOp {
    }

    /** open(O_RDONLY) + read everything + close; the outcome carries size and checksum. */
    record Read(String path) implements ModelOp {
    }

    /** open(O_RDWR), unlink, pwrite, read back, fstat nlink, close: the orphan-inode path. */
    record OpenUnlinkRead(String path, long offset, int len, long dataSeed) implements ModelOp {
    }
}
