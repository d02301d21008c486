package io.tierfs.common;

/** The credentials of the process that made a request (from the FUSE context). */
public record Caller(int uid, int gid) {
    public static final Caller ROOT = new Caller(0, 0);

    public boolean isRoot() {
        return uid == 0;
    }
}
