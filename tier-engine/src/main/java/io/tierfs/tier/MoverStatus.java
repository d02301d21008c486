package io.tierfs.tier;

/** The mover's queue: moves waiting, running, done and failed since start, and bytes moved down and up. */
public record MoverStatus(long queued, long running, long done, long failed, long bytesDown, long bytesUp) {
    public static final MoverStatus IDLE = new MoverStatus(0, 0, 0, 0, 0, 0);
}
