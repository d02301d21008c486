package io.tierfs.meta.client;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.meta.entity.PolicyEntity;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Where a node keeps the cluster's policy: the {@link PolicyEntity} reached through Cluster Sharding. Blocking
 * calls with the metadata ask timeout; failures are {@link FsException}s (ETIMEDOUT, EIO) with the context.
 */
public final class PolicyVault {
    public static final EntityTypeKey<PolicyEntity.Command> POLICY_KEY =
            EntityTypeKey.create(PolicyEntity.Command.class, "policy");
    private static final String ID = "cluster";

    private final ClusterSharding sharding;
    private final Duration timeout;

    public PolicyVault(ClusterSharding sharding, Duration timeout) {
        this.sharding = sharding;
        this.timeout = timeout;
    }

    /** The stored policy history (JSON), empty before the first save. */
    public Optional<String> load() {
        PolicyEntity.Stored s = await("load", sharding.entityRefFor(POLICY_KEY, ID)
                .<PolicyEntity.Stored>ask(PolicyEntity.Load::new, timeout).toCompletableFuture());
        return Optional.ofNullable(s.historyJson());
    }

    /** Stores {@code historyJson}; returns once it is in the journal. */
    public void save(String historyJson) {
        await("save", sharding.entityRefFor(POLICY_KEY, ID)
                .<PolicyEntity.Stored>ask(r -> new PolicyEntity.Save(historyJson, r), timeout).toCompletableFuture());
    }

    private PolicyEntity.Stored await(String what, java.util.concurrent.CompletableFuture<PolicyEntity.Stored> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new FsException(Errno.ETIMEDOUT, "policy " + what + ": no answer within " + timeout,
                        e.getCause());
            }
            throw new FsException(Errno.EIO, "policy " + what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EIO, "interrupted during policy " + what, e);
        }
    }
}
