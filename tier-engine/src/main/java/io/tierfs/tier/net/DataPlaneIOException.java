package io.tierfs.tier.net;

import io.tierfs.common.Errno;

import java.io.IOException;

/**
 * A {@link DataPlaneException} raised through a {@link RemoteChunkChannel}: FileChannel methods declare
 * IOException, and the engine's clean-up paths (release a reservation, delete a half-made copy, retry a flush)
 * catch IOException. The data-plane failure, with its kind and errno, is the cause.
 */
public final class DataPlaneIOException extends IOException {
    private final DataPlaneException failure;

    public DataPlaneIOException(DataPlaneException failure) {
        super(failure.getMessage(), failure);
        this.failure = failure;
    }

    public DataPlaneException failure() {
        return failure;
    }

    public DataPlaneException.Kind kind() {
        return failure.kind();
    }

    public Errno errno() {
        return failure.errno();
    }
}
