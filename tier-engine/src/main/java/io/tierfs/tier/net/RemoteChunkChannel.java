package io.tierfs.tier.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;

/**
 * One chunk on another node, seen as a {@link FileChannel}, so that code written for local chunk files
 * (ChunkCopier's copy, crc and readFully, the engine's positional writes, truncate, size, force, the channel cache)
 * works on it unchanged. Every call is one or more requests through the {@link ChunkClient}; nothing is cached.
 * <p>
 * Semantics follow a FileChannel on a regular file: positional reads return -1 at or after the end and read holes
 * as zeros, writes past the end leave a hole, {@link #truncate} only shortens (and pulls the position back).
 * Differences: {@link #force} does nothing, because lent memory is volatile by definition (durability comes from the
 * copy on a durable tier, not from this chunk); closing does not touch the remote chunk; an interrupt fails the
 * waiting call but does not close the channel. Failures are {@link DataPlaneIOException}s carrying the
 * {@link DataPlaneException} (kind, errno, peer). Mapping, locking, transfers and scatter/gather are not supported.
 */
public final class RemoteChunkChannel extends ChunkChannelBase {
    private final ChunkClient client;
    private final InetSocketAddress peer;
    private final ChunkKey key;
    private final Object positionLock = new Object();
    private long position;

    /** A channel on {@code key} at {@code peer}; nothing is sent until it is used. */
    public RemoteChunkChannel(ChunkClient client, InetSocketAddress peer, ChunkKey key) {
        this.client = client;
        this.peer = peer;
        this.key = key;
    }

    /**
     * Opens {@code key} at {@code peer}: with {@code create}, creates it (empty) if missing, as
     * {@code FileChannel.open(CREATE)}; without, fails with ENOENT ({@link DataPlaneException#noSuchChunk()}) if it
     * is missing.
     */
    public static RemoteChunkChannel open(ChunkClient client, InetSocketAddress peer, ChunkKey key, boolean create)
            throws IOException {
        try {
            if (create) {
                client.write(peer, key, 0, ByteBuffer.allocate(0));
            } else {
                client.size(peer, key);
            }
        } catch (DataPlaneException e) {
            throw new DataPlaneIOException(e);
        }
        return new RemoteChunkChannel(client, peer, key);
    }

    public ChunkKey key() {
        return key;
    }

    public InetSocketAddress peer() {
        return peer;
    }

    @Override
    public int read(ByteBuffer dst, long pos) throws IOException {
        checkPosition(pos);
        ensureOpen();
        try {
            return client.read(peer, key, pos, dst);
        } catch (DataPlaneException e) {
            throw new DataPlaneIOException(e);
        }
    }

    @Override
    public int write(ByteBuffer src, long pos) throws IOException {
        checkPosition(pos);
        ensureOpen();
        int n = src.remaining();
        try {
            client.write(peer, key, pos, src);
        } catch (DataPlaneException e) {
            throw new DataPlaneIOException(e);
        }
        return n;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        synchronized (positionLock) {
            int n = read(dst, position);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        synchronized (positionLock) {
            int n = write(src, position);
            position += n;
            return n;
        }
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        synchronized (positionLock) {
            return position;
        }
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        checkPosition(newPosition);
        ensureOpen();
        synchronized (positionLock) {
            position = newPosition;
        }
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        try {
            return client.size(peer, key);
        } catch (DataPlaneException e) {
            throw new DataPlaneIOException(e);
        }
    }

    /** Shortens the chunk to {@code size} if it is longer (never lengthens it), as FileChannel does. */
    @Override
    public FileChannel truncate(long size) throws IOException {
        checkPosition(size);
        ensureOpen();
        try {
            if (size < client.size(peer, key)) {
                client.truncate(peer, key, size);
            }
        } catch (DataPlaneException e) {
            throw new DataPlaneIOException(e);
        }
        synchronized (positionLock) {
            if (position > size) {
                position = size;
            }
        }
        return this;
    }

    /** Does nothing: the chunk is in lent memory, which no fsync can make durable (see the class comment). */
    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
        throw unsupported("scatter read");
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw unsupported("gather write");
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private static void checkPosition(long pos) {
        if (pos < 0) {
            throw new IllegalArgumentException("negative position " + pos);
        }
    }

    @Override
    protected String describe() {
        return "a remote chunk (" + key + " at " + DataPlaneException.address(peer) + ")";
    }

    @Override
    public String toString() {
        return "RemoteChunkChannel[" + key + " at " + DataPlaneException.address(peer) + "]";
    }
}
