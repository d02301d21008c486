package io.tierfs.fuse;

/**
 * Teardown of a mount test: the mount goes first (the kernel must let go of the file system before the layers under
 * it close), then the rest in the given order, each even when one before it failed; the first failure is thrown with
 * the later ones suppressed. Nulls (a setup that failed half way) are skipped.
 */
final class MountTeardown {

    private MountTeardown() {
    }

    static void unmountThenClose(FuseMount mount, AutoCloseable... below) throws Exception {
        Exception first = null;
        AutoCloseable[] all = new AutoCloseable[below.length + 1];
        all[0] = mount;
        System.arraycopy(below, 0, all, 1, below.length);
        for (AutoCloseable c : all) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
