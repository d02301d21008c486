package io.tierfs.tier.net;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A {@link FileChannel} over a chunk that is not a local file (on another node, in lent memory): the engine only
 * reads, writes, sizes, truncates and forces chunk channels, so the file-only operations (mapping, locks, kernel
 * transfers) are refused here once, with a message naming the chunk, instead of in every such channel.
 */
public abstract class ChunkChannelBase extends FileChannel {

    /** What this channel is, for messages: e.g. "a remote chunk (KEY at HOST:PORT)". */
    protected abstract String describe();

    /** The refusal of an operation this kind of channel cannot do. */
    protected final UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + " is not supported on " + describe());
    }

    @Override
    public long transferTo(long pos, long count, WritableByteChannel target) {
        throw unsupported("transferTo");
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long pos, long count) {
        throw unsupported("transferFrom");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long pos, long size) {
        throw unsupported("map");
    }

    @Override
    public FileLock lock(long pos, long size, boolean shared) {
        throw unsupported("lock");
    }

    @Override
    public FileLock tryLock(long pos, long size, boolean shared) {
        throw unsupported("tryLock");
    }

    /** Closes this view only: nothing is held locally (connections belong to the client). */
    @Override
    protected void implCloseChannel() {
        // nothing to release
    }
}
