package io.tierfs.meta.client;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.meta.entity.RenameLockEntity;
import io.tierfs.meta.state.RenameLease.LockAnswer;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** The rename lock as the cluster's {@link RenameLockEntity}, reached through Cluster Sharding with a blocking ask. */
public final class ShardedRenameLock implements RenameLock {
    public static final EntityTypeKey<RenameLockEntity.Command> KEY =
            EntityTypeKey.create(RenameLockEntity.Command.class, "rename-lock");
    private static final String ID = "0";

    private final ClusterSharding sharding;
    private final Duration timeout;

    public ShardedRenameLock(ClusterSharding sharding, Duration timeout) {
        this.sharding = sharding;
        this.timeout = timeout;
    }

    @Override
    public LockAnswer acquire(long txid, long srcDir, long takeOver, Duration lease) {
        return await("acquire for rename " + txid, sharding.entityRefFor(KEY, ID).<LockAnswer>ask(
                r -> new RenameLockEntity.Acquire(txid, srcDir, takeOver, lease.toMillis(), r), timeout)
                .toCompletableFuture());
    }

    @Override
    public boolean release(long txid) {
        return await("release by rename " + txid, sharding.entityRefFor(KEY, ID).<Boolean>ask(
                r -> new RenameLockEntity.Release(txid, r), timeout).toCompletableFuture());
    }

    private <T> T await(String what, CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new FsException(Errno.ETIMEDOUT, "rename lock " + what + ": no answer within " + timeout,
                        e.getCause());
            }
            throw new FsException(Errno.EIO, "rename lock " + what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EIO, "interrupted during rename lock " + what, e);
        }
    }
}
