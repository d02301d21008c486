package io.tierfs.tier.net;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;

import java.net.InetSocketAddress;

/**
 * A data-plane call failed; {@link #kind()} says how, so that callers can tell a dead peer (find another copy) from
 * a full one (ENOSPC: place elsewhere) or a missing chunk (ENOENT). The message always names the peer's address.
 */
public final class DataPlaneException extends FsException {

    /** How a call failed. */
    public enum Kind {
        /** No connection could be made, or it was lost before the reply (EIO). */
        UNREACHABLE,
        /** No reply within the request timeout (ETIMEDOUT). */
        TIMEOUT,
        /** Every try arrived with a bad checksum, in one direction or the other (EIO). */
        CORRUPT,
        /** The peer answered with an error: {@link #errno()} is the peer's (ENOSPC, ENOENT, EINVAL, EIO...). */
        REMOTE,
        /** The calling thread was interrupted while it waited (its interrupt flag is set again; EIO). */
        INTERRUPTED
    }

    private final Kind kind;
    private final InetSocketAddress peer;

    public DataPlaneException(Kind kind, Errno errno, InetSocketAddress peer, String message, Throwable cause) {
        super(errno, kind + " " + address(peer) + ": " + message, cause);
        this.kind = kind;
        this.peer = peer;
    }

    public Kind kind() {
        return kind;
    }

    public InetSocketAddress peer() {
        return peer;
    }

    /** True when the peer said it holds no such chunk. */
    public boolean noSuchChunk() {
        return kind == Kind.REMOTE && errno() == Errno.ENOENT;
    }

    static String address(InetSocketAddress a) {
        return a == null ? "?" : a.getHostString() + ":" + a.getPort();
    }
}
