package io.tierfs.it;

import java.util.Random;

/**
 * Draws random {@link ModelOp}s over a deliberately tiny name space (seven names, depth up to three) so that
 * collisions are frequent: existing targets, missing parents, files used as directories, non-empty dirs.
 * Directory operations mostly use directory-like names and file operations file-like names (so that most steps
 * do something), with a fifth of the picks crossing over to provoke EISDIR/ENOTDIR/EEXIST.
 */
final class ModelOpGenerator {

    private static final String[] DIRS = {"a", "b", "c"};
    private static final String[] FILES = {"x", "y", "z", "w"};
    private static final int MIB = 1 << 20;

    private final Random rnd;

    ModelOpGenerator(Random rnd) {
        this.rnd = rnd;
    }

    ModelOp next() {
        int pick = rnd.nextInt(100);
        if (pick < 14) {
            return new ModelOp.Create(file(), rnd.nextInt(3) == 0, rnd.nextInt(4) == 0);
        } else if (pick < 36) {
            return new ModelOp.Write(file(), rnd.nextBoolean(), offset(), length(), rnd.nextLong());
        } else if (pick < 44) {
            return new ModelOp.Truncate(file(), offset());
        } else if (pick < 56) {
            boolean dirs = rnd.nextInt(3) == 0;
            return new ModelOp.Rename(path(dirs), path(dirs));
        } else if (pick < 62) {
            return new ModelOp.Link(file(), file());
        } else if (pick < 65) {
            return new ModelOp.Symlink(symlinkTarget(), file());
        } else if (pick < 73) {
            return new ModelOp.Unlink(file());
        } else if (pick < 80) {
            return new ModelOp.Mkdir(dir());
        } else if (pick < 86) {
            return new ModelOp.Rmdir(dir());
        } else if (pick < 96) {
            return new ModelOp.Read(file());
        } else {
            return new ModelOp.OpenUnlinkRead(file(), rnd.nextInt(64 * 1024), 1 + rnd.nextInt(4096), rnd.nextLong());
        }
    }

    private String file() {
        return path(false);
    }

    private String dir() {
        return path(true);
    }

    /** Depth 1 to 3 (shallower more often so that parents usually exist); directories in the middle. */
    private String path(boolean dirLeaf) {
        int depth = 1 + (rnd.nextInt(10) < 5 ? 0 : rnd.nextInt(10) < 7 ? 1 : 2);
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < depth; i++) {
            sb.append(DIRS[rnd.nextInt(DIRS.length)]).append('/');
        }
        boolean crossOver = rnd.nextInt(5) == 0;
        String[] leaves = dirLeaf != crossOver ? DIRS : FILES;
        return sb.append(leaves[rnd.nextInt(leaves.length)]).toString();
    }

    /** Mostly inside the first 64 KiB, sometimes past 1 MiB, rarely across the 4 and 8 MiB chunk boundaries. */
    private long offset() {
        int r = rnd.nextInt(100);
        if (r < 75) {
            return rnd.nextInt(64 * 1024);
        } else if (r < 95) {
            return rnd.nextInt(2 * MIB);
        } else {
            return 4L * MIB - 64 * 1024 + rnd.nextInt(5 * MIB);
        }
    }

    private int length() {
        return rnd.nextInt(20) == 0 ? 1 + rnd.nextInt(200 * 1024) : 1 + rnd.nextInt(8 * 1024);
    }

    private String symlinkTarget() {
        String[] names = rnd.nextBoolean() ? DIRS : FILES;
        return (rnd.nextBoolean() ? "" : "../") + names[rnd.nextInt(names.length)];
    }
}
