package io.tierfs.common;

import java.nio.charset.StandardCharsets;

/** Validation of path components, shared by every layer that accepts a name. */
public final class Names {
    public static final int NAME_MAX = 255;
    public static final int PATH_MAX = 4096;

    private Names() {
    }

    /** Throws ENAMETOOLONG or EINVAL when {@code name} cannot be a directory entry. */
    public static void check(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw FsException.of(Errno.EINVAL, "invalid name '%s'", name);
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            throw FsException.of(Errno.ENAMETOOLONG, "name longer than %d bytes", NAME_MAX);
        }
    }
}
