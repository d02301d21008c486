package io.tierfs.tier.net;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;

/** The repository holds no chunk under this key (ENOENT). Expected after a delete or a recall: no stack trace. */
public final class NoSuchChunkException extends FsException {
    private final ChunkKey key;

    public NoSuchChunkException(ChunkKey key) {
        super(Errno.ENOENT, "no chunk " + key);
        this.key = key;
    }

    public ChunkKey key() {
        return key;
    }
}
