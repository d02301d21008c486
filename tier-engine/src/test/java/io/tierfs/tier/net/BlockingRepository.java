package io.tierfs.tier.net;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A repository whose SIZE calls wait until {@link #release} and FSYNC calls until {@link #fsyncRelease}: a server
 * that is alive but does not answer in time.
 */
final class BlockingRepository implements ChunkRepository {
    private final ChunkRepository inner;
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch fsyncRelease = new CountDownLatch(1);

    BlockingRepository(ChunkRepository inner) {
        this.inner = inner;
    }

    @Override
    public long size(ChunkKey k) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return inner.size(k);
    }

    @Override
    public int read(ChunkKey k, long pos, ByteBuffer dst) {
        return inner.read(k, pos, dst);
    }

    @Override
    public void write(ChunkKey k, long pos, ByteBuffer src) {
        inner.write(k, pos, src);
    }

    @Override
    public void truncate(ChunkKey k, long size) {
        inner.truncate(k, size);
    }

    @Override
    public void delete(ChunkKey k) {
        inner.delete(k);
    }

    @Override
    public Map<ChunkKey, Long> list(String owner) {
        return inner.list(owner);
    }

    @Override
    public long crc32c(ChunkKey k, long length) {
        return inner.crc32c(k, length);
    }

    @Override
    public long usedBytes(String owner) {
        return inner.usedBytes(owner);
    }

    @Override
    public long usedBytes() {
        return inner.usedBytes();
    }

    @Override
    public void fsync(ChunkKey k) {
        try {
            fsyncRelease.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inner.fsync(k);
    }

    @Override
    public void deleteOwner(String owner) {
        inner.deleteOwner(owner);
    }
}
