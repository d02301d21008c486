package io.tierfs.meta.client;

import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.concurrent.Stages;
import io.tierfs.meta.entity.DirEnvelope;
import io.tierfs.meta.entity.DirFront;
import io.tierfs.meta.entity.DirMsg;
import io.tierfs.meta.entity.DirReply;
import io.tierfs.meta.entity.LocalDirRegistry;
import io.tierfs.meta.entity.RequestId;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.DirReadView;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reaches directory entities with a blocking ask: directly when the entity runs on this node and is entered in the
 * {@link LocalDirRegistry} (one actor hop instead of three: ~2x the single-thread rate), else through Cluster
 * Sharding, which starts, locates and buffers for the entity.
 * <p>
 * Reads: a lookup, getattr, getparent or readlink of a directory hosted on this node is not even an ask: it reads
 * the entity's published live state in the caller's thread ({@link LocalDirRegistry#read}), as linearizable as
 * the ask (see {@link DirReadView}). Early commands to such a directory are decided in the caller's thread too
 * ({@link LocalDirRegistry.Entry#decideInline}; the entity falls back to an ask when the reply must wait).
 * <p>
 * Retries: a message can be lost while the entity's node dies or its shard moves, so every call is retried under
 * a {@link RetryPolicy} (per-attempt timeout, overall deadline, then ETIMEDOUT) when an attempt times out or the
 * entity answers that it stopped before deciding ({@link DirReply#retryable()}); a POSIX answer (ENOENT,
 * EEXIST...) is final. A mutating command carries a {@link RequestId} (a random id of this gateway plus the
 * calling thread, and a sequence number), the same for all attempts of one call: the entity applies it once and
 * answers a retry with the first answer (see {@link DirFront}). Barriers are retried as they are.
 * <p>
 * Durability: early replies (before the journal write) are only asked of an entity in this JVM (registry hit);
 * through sharding, to a possibly remote entity, every command is synchronous, because the crash of a remote
 * metadata node must not lose an operation already acknowledged to a client that survives it.
 * <p>
 * Remembers the directories that gave it an early reply since the last {@link #syncAll()}, so that an unmount
 * (or a clean close) can put a barrier exactly on those. A directory is marked only after its early reply came
 * back, so a concurrent syncAll either sees the mark or sends its barrier after that reply: nothing is missed.
 */
public final class ShardingGateway implements DirGateway {
    public static final EntityTypeKey<DirMsg> DIR_KEY = EntityTypeKey.create(DirMsg.class, "dir");
    /** Attempt timeout of the constructors that take only a deadline. */
    public static final Duration DEFAULT_ATTEMPT = Duration.ofSeconds(5);

    /** Builds the message of one attempt; {@code local}: it goes straight to an entity in this JVM. */
    private interface Message {
        DirMsg make(ActorRef<DirReply> replyTo, boolean local);
    }

    /** One attempt's answer and whether it came from an entity in this JVM. */
    private record Answer(DirReply reply, boolean local) {
    }

    private final ClusterSharding sharding;
    private final Retrying retrying;
    private final LocalDirRegistry local;
    private final Scheduler scheduler;
    private final Set<Long> unsynced = ConcurrentHashMap.newKeySet();
    private final String gatewayId;
    private final ThreadLocal<String> clientIds;
    private final AtomicLong seq = new AtomicLong();

    /** Every ask goes through sharding (ShardRegion, Shard, entity); {@code deadline} per call. */
    public ShardingGateway(ClusterSharding sharding, Duration deadline) {
        this(sharding, RetryPolicy.of(deadline, DEFAULT_ATTEMPT), new LocalDirRegistry(), null,
                UUID.randomUUID().toString());
    }

    /** As {@link #ShardingGateway(ClusterSharding, RetryPolicy, LocalDirRegistry, Scheduler, String)}, 5 s attempts. */
    public ShardingGateway(ClusterSharding sharding, Duration deadline, LocalDirRegistry local, Scheduler scheduler) {
        this(sharding, RetryPolicy.of(deadline, DEFAULT_ATTEMPT), local, scheduler, UUID.randomUUID().toString());
    }

    /**
     * @param retries   per-attempt timeout and overall deadline of every call
     * @param local     the registry the directory entities of this node enter themselves in: an ask to one of
     *                  them goes straight to it (one hop); any other goes through sharding
     * @param scheduler the ActorSystem's scheduler (for the ask's timeout); null: always through sharding
     * @param gatewayId unique among all gateways that ever talk to the cluster's journal within the dedup TTL
     *                  (random: a restarted client must not reuse it, its sequence numbers start again)
     */
    public ShardingGateway(ClusterSharding sharding, RetryPolicy retries, LocalDirRegistry local, Scheduler scheduler,
                           String gatewayId) {
        this.sharding = sharding;
        this.retrying = new Retrying(retries);
        this.local = local;
        this.scheduler = scheduler;
        this.gatewayId = gatewayId;
        this.clientIds = ThreadLocal.withInitial(() -> gatewayId + "-" + Thread.currentThread().getId());
    }

    /** Attempts repeated so far because one timed out or the entity had stopped (diagnostics, tests). */
    public long retries() {
        return retrying.retries();
    }

    /** This gateway's random id (the prefix of its clients' ids). */
    public String gatewayId() {
        return gatewayId;
    }

    @Override
    public Object ask(long dir, DirCommand cmd, boolean early) {
        if (scheduler != null && DirReadView.serves(cmd)) {
            Object r = local.read(dir, cmd); // hosted here: the live state, read in this thread (no ask)
            if (r != LocalDirRegistry.NOT_HOSTED) {
                return r;
            }
        }
        // one id per call, reused by every attempt; seq is gateway-wide, so it grows for every thread too
        RequestId id = cmd.readOnly() ? null : new RequestId(clientIds.get(), seq.incrementAndGet());
        if (early && scheduler != null) {
            DirReply inline = decideInline(dir, cmd, id);
            if (inline != null) {
                unsynced.add(dir);
                return inline.valueOrThrow();
            }
        }
        Answer a = call(dir, cmd.getClass().getSimpleName(), (r, local) -> new DirEnvelope(cmd, r, early && local, id));
        if (early && a.local()) {
            unsynced.add(dir);
        }
        return a.reply().valueOrThrow();
    }

    /**
     * The early reply of an entity hosted here, decided in this thread (no ask: see {@link DirFront}), or null:
     * not hosted here, not recovered yet, stopping, or the command's reply must wait for durability.
     */
    private DirReply decideInline(long dir, DirCommand cmd, RequestId id) {
        LocalDirRegistry.Entry entry = local.acquire(dir);
        if (entry == null) {
            return null;
        }
        try {
            return entry.decideInline(cmd, id);
        } finally {
            local.release(entry);
        }
    }

    @Override
    public void sync(long dir) {
        unsynced.remove(dir);
        try {
            barrier(dir);
        } catch (RuntimeException e) {
            unsynced.add(dir); // still owed a barrier: the next syncAll (unmount) must not skip it
            throw e;
        }
    }

    @Override
    public void syncAll() {
        List<Long> dirs = new ArrayList<>(unsynced);
        unsynced.removeAll(dirs);
        // first attempts in parallel (normally the only ones); a directory whose attempt failed in a way worth a
        // retry is then synced on its own with the full retry policy
        Duration attempt = retrying.policy().attempt();
        List<CompletableFuture<Answer>> barriers = new ArrayList<>(dirs.size());
        for (long dir : dirs) {
            barriers.add(send(dir, (r, local) -> new DirFront.Barrier(r), attempt));
        }
        RuntimeException first = null;
        for (int i = 0; i < dirs.size(); i++) {
            long dir = dirs.get(i);
            try {
                if (!barrierDone(barriers.get(i))) {
                    barrier(dir);
                }
            } catch (RuntimeException e) {
                unsynced.add(dir);
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** True when the barrier was answered; false when it should be retried; throws a final failure. */
    private static boolean barrierDone(CompletableFuture<Answer> f) {
        try {
            DirReply r = f.get().reply();
            if (r.retryable()) {
                return false;
            }
            r.valueOrThrow();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException) {
                return false;
            }
            throw new FsException(Errno.EIO, "sync failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EIO, "interrupted during sync", e);
        }
    }

    private void barrier(long dir) {
        call(dir, "sync", (r, local) -> new DirFront.Barrier(r)).reply().valueOrThrow();
    }

    private Answer call(long dir, String what, Message msg) {
        return retrying.call(what + " on directory " + dir, timeout -> send(dir, msg, timeout),
                a -> a.reply().retryable() ? a.reply().message() : null);
    }

    private CompletableFuture<Answer> send(long dir, Message msg, Duration timeout) {
        LocalDirRegistry.Entry entry = scheduler == null ? null : local.acquire(dir);
        if (entry != null) {
            try {
                return Stages.map(AskPattern.<DirMsg, DirReply>ask(entry.ref(), r -> msg.make(r, true), timeout,
                        scheduler), r -> new Answer(r, true));
            } finally {
                local.release(entry);
            }
        }
        return Stages.map(sharding.entityRefFor(DIR_KEY, Long.toString(dir))
                .<DirReply>ask(r -> msg.make(r, false), timeout), r -> new Answer(r, false));
    }
}
