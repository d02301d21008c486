package io.tierfs.meta.client;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.meta.entity.DirEnvelope;
import io.tierfs.meta.entity.DirMsg;
import io.tierfs.meta.entity.DirReply;
import io.tierfs.meta.state.DirCommand;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Reaches directory entities through Cluster Sharding with a blocking ask. A missing answer within the timeout
 * becomes ETIMEDOUT, any other transport failure EIO. Retries on shard hand-off belong here (later: the commands
 * are idempotent, so a retry with the same command is safe).
 */
public final class ShardingGateway implements DirGateway {
    public static final EntityTypeKey<DirMsg> DIR_KEY = EntityTypeKey.create(DirMsg.class, "dir");

    private final ClusterSharding sharding;
    private final Duration timeout;

    public ShardingGateway(ClusterSharding sharding, Duration timeout) {
        this.sharding = sharding;
        this.timeout = timeout;
    }

    @Override
    public Object ask(long dir, DirCommand cmd) {
        DirReply reply;
        try {
            reply = sharding.entityRefFor(DIR_KEY, Long.toString(dir))
                    .<DirReply>ask(replyTo -> new DirEnvelope(cmd, replyTo), timeout)
                    .toCompletableFuture().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new FsException(Errno.ETIMEDOUT, "no answer from directory " + dir + " within " + timeout
                        + " to " + cmd.getClass().getSimpleName(), e.getCause());
            }
            throw new FsException(Errno.EIO, "ask to directory " + dir + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EIO, "interrupted while asking directory " + dir, e);
        }
        return reply.valueOrThrow();
    }
}
