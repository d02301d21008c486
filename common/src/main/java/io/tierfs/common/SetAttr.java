package io.tierfs.common;

/**
 * A setattr request: every null field is left unchanged. Times are nanoseconds since the epoch;
 * {@link #NOW} asks for the server's current time (utimensat UTIME_NOW).
 */
public record SetAttr(Integer mode, Integer uid, Integer gid, Long size, Long atimeNs, Long mtimeNs) {
    public static final long NOW = Long.MIN_VALUE;

    public static SetAttr mode(int mode) {
        return new SetAttr(mode, null, null, null, null, null);
    }

    public static SetAttr owner(Integer uid, Integer gid) {
        return new SetAttr(null, uid, gid, null, null, null);
    }

    public static SetAttr size(long size) {
        return new SetAttr(null, null, null, size, null, null);
    }

    public static SetAttr times(Long atimeNs, Long mtimeNs) {
        return new SetAttr(null, null, null, null, atimeNs, mtimeNs);
    }
}
