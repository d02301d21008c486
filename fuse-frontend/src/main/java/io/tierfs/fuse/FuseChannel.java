package io.tierfs.fuse;

import jnr.ffi.Pointer;

import java.util.Optional;

/**
 * libfuse 2.9's {@code struct fuse_chan} (fuse_session.c, 64 bytes on x86-64): the ops {@code receive, send,
 * destroy} at 0, 8, 16, the session at 24, {@code int fd} at 32, {@code size_t bufsize} at 40. The loop sizes its
 * receive buffer from {@code bufsize} when it starts, and every reply goes through {@code send}: the two fields
 * {@link FuseLoop} changes. The layout is checked, not assumed: {@link #of} gives up unless the fd and bufsize read
 * at those offsets are what libfuse's own {@code fuse_chan_fd} and {@code fuse_chan_bufsize} answer.
 */
final class FuseChannel {
    static final long SEND = 8;
    static final long FD = 32;
    static final long BUFSIZE = 40;

    private final Pointer channel;
    private final int fd;

    private FuseChannel(Pointer channel, int fd) {
        this.channel = channel;
        this.fd = fd;
    }

    /** The channel, if its fields lie where expected. */
    static Optional<FuseChannel> of(Pointer channel, int fd, long bufsize) {
        if (channel == null || channel.address() == 0 || fd < 0) {
            return Optional.empty();
        }
        if (channel.getInt(FD) != fd || channel.getLong(BUFSIZE) != bufsize || channel.getLong(SEND) == 0) {
            return Optional.empty();
        }
        return Optional.of(new FuseChannel(channel, fd));
    }

    int fd() {
        return fd;
    }

    long bufsize() {
        return channel.getLong(BUFSIZE);
    }

    /** Sets the receive buffer size; only before the loop starts (it allocates its buffers from it then). */
    void bufsize(long bytes) {
        channel.putLong(BUFSIZE, bytes);
    }

    long send() {
        return channel.getLong(SEND);
    }

    void send(long functionAddress) {
        channel.putLong(SEND, functionAddress);
    }
}
