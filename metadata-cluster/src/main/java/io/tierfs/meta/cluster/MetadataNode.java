package io.tierfs.meta.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tierfs.common.Caller;
import io.tierfs.common.Errno;
import io.tierfs.common.FsException;
import io.tierfs.common.InodeRef;
import io.tierfs.meta.api.Namespace;
import io.tierfs.meta.cache.InvalidationBus;
import io.tierfs.meta.client.ClusterNamespace;
import io.tierfs.meta.client.DataHomes;
import io.tierfs.meta.client.RangeAllocator;
import io.tierfs.meta.client.RetryPolicy;
import io.tierfs.meta.client.Retrying;
import io.tierfs.meta.client.RenameSettings;
import io.tierfs.meta.client.ShardedRenameLock;
import io.tierfs.meta.client.ShardingGateway;
import io.tierfs.meta.placement.LocalFirstAllocation;
import io.tierfs.meta.placement.ShardPlacement;
import io.tierfs.meta.client.PolicyVault;
import io.tierfs.meta.entity.AllocEntity;
import io.tierfs.meta.entity.PolicyEntity;
import io.tierfs.meta.entity.DirEntity;
import io.tierfs.meta.entity.DirFront;
import io.tierfs.meta.entity.LocalDirRegistry;
import io.tierfs.meta.entity.RenameLockEntity;
import io.tierfs.meta.state.DirCommand;
import io.tierfs.meta.state.InoRange;
import io.tierfs.meta.state.RenameIntent;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One metadata member of the TierFS Pekko cluster: builds the ActorSystem in code, starts the directory and
 * allocator entities under Cluster Sharding with a JDBC journal, and hands out a blocking {@link Namespace}.
 * <p>
 * Settings (defaults in this module's reference.conf, override with the overlay Config given to {@link #start}):
 * <ul>
 * <li>{@code tierfs.meta.snapshot-every} (5000), {@code keep-snapshots} (2): snapshots of directory entities;</li>
 * <li>{@code tierfs.meta.max-batch} (1000): most events persisted in one group commit of a directory;</li>
 * <li>{@code tierfs.meta.max-early} (10000): most events a directory may hold decided but not yet durable
 *     while it still answers early; beyond, early operations wait for durability like synchronous ones;</li>
 * <li>{@code tierfs.meta.early-linger} (1ms): how long events that only early replies depend on may wait to be
 *     written in a bigger batch (a synchronous operation or a sync writes at once);</li>
 * <li>{@code tierfs.meta.passivate-idle} (120s): a directory entity without a client message for this long
 *     (up to twice as long) is passivated; it recovers from its snapshot on the next message;</li>
 * <li>{@code tierfs.meta.ask-timeout} (60s): the deadline of one client call to an entity, retries included; then
 *     the operation fails with ETIMEDOUT. It must exceed the failover time (a dead node is downed by the split
 *     brain resolver and its shards restart elsewhere: some 20-30 s);</li>
 * <li>{@code tierfs.meta.attempt-timeout} (5s): how long one attempt waits for its answer before the client sends
 *     the same request again (a message to a dying node or a moving shard is lost; the entity applies a
 *     request once and answers its retries with the first answer);</li>
 * <li>{@code tierfs.meta.ino-range} (4096): inode numbers reserved at once;</li>
 * <li>{@code tierfs.meta.data-home-id} ("": host-port of the Pekko address): the member name recorded with each
 *     reserved range, i.e. the data home of the files numbered from it ({@link #dataHomes()});</li>
 * <li>{@code tierfs.meta.start-timeout} (60s): how long start waits for the root directory to answer;</li>
 * <li>{@code tierfs.meta.h2-options} (";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;MAX_LENGTH_INPLACE_LOB=4096"): H2 URL options. WRITE_DELAY=0
 *     writes every commit to the file before the journal acknowledges it: a durable (synced or synchronously acknowledged) operation survives
 *     kill -9 (not a power loss: H2 does not fsync each commit);</li>
 * <li>{@code tierfs.meta.db-connections} (4): JDBC pool size;</li>
 * <li>{@code tierfs.meta.journal-parallelism} (0): concurrent journal writes; 0 = 1 on H2 (rows of all
 *     directories queued behind the write in flight share one transaction), 8 on PostgreSQL;</li>
 * <li>{@code tierfs.meta.journal-url} ("": embedded H2 under the state dir), {@code journal-user},
 *     {@code journal-password}: the journal's database; a cluster of several machines shares one PostgreSQL
 *     database ({@link JournalDb});</li>
 * <li>{@code tierfs.meta.roles} ([metadata]): cluster roles; directory shards live only on "metadata" members;</li>
 * <li>{@code tierfs.meta.intent-timeout} (10s): a cross-directory rename intent open this long is re-driven by
 *     its source directory (a coordinator that died while the entities live on); a coordinator hands its rename
 *     over to that re-drive after intent-timeout / 2 of driving it and then waits up to ask-timeout for the
 *     re-drive's outcome, which is the rename's answer;</li>
 * <li>{@code tierfs.meta.rename-lock-lease} (30s): lease of the cluster-wide lock of directory renames across
 *     directories ({@link RenameLockEntity}, registered here next to the directory entities);</li>
 * <li>JVM system properties override everything (as Typesafe Config's default overrides);</li>
 * <li>any {@code pekko.*} key: e.g. {@code pekko.remote.artery.canonical.port} (default 0 = any free port,
 *     hostname 127.0.0.1) and {@code pekko.cluster.seed-nodes} (default none: the node joins itself, a
 *     single-node cluster).</li>
 * </ul>
 * The journal and snapshot store live in the H2 file database {@code <stateDir>/meta/journal.mv.db}; the schema is
 * created (if absent) before sharding starts. Start-up returns once the root directory (ino 1, mode 0755, owned by
 * the given owner) answers, which proves that the cluster, sharding and the journal work.
 * <p>
 * Durability contract (see {@link DirFront}): operations confined to one directory (create, symlink, mkdir's
 * name, unlink of a name homed there, rename inside a directory, setattr, updateSize, xattr changes) are
 * acknowledged early, before their journal write, when the directory's entity runs on this node; such an
 * operation is durable within the persist latency (milliseconds) and certainly once {@link Namespace#sync(long)}
 * of its directory returned. A kill -9 may lose early-acknowledged operations of the last moments that nobody
 * synced (as a local file system loses un-fsynced metadata); only clients in the killed JVM got such replies:
 * an operation on an entity of another node is always acknowledged synchronously. A crash never loses a synced or
 * synchronously acknowledged operation (every step of a multi-directory operation), and never leaves a state that
 * breaks the invariants (nlink never too low, no name pointing at a missing inode). {@link #close()} loses nothing.
 * When a node dies, clients on the others retry until ask-timeout, and each retried command is applied once.
 */
public final class MetadataNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataNode.class);
    /** The cluster role of members that host the namespace's shards. */
    public static final String METADATA_ROLE = "metadata";
    public static final EntityTypeKey<AllocEntity.Command> ALLOC_KEY = EntityTypeKey.create(AllocEntity.Command.class, "ino-alloc");

    private final ActorSystem<Void> system;
    private final PolicyVault policyVault;
    private final ClusterNamespace namespace;
    private final ExecutorService redriveExecutor;
    private final LocalDirRegistry localDirs;
    private final InvalidationBus invalidations;
    private final Supplier<ClusterNamespace> clients;
    private final DataHomes dataHomes;
    private final String memberId;

    private MetadataNode(ActorSystem<Void> system, ClusterNamespace namespace, ExecutorService redriveExecutor,
                         LocalDirRegistry localDirs, PolicyVault policyVault, InvalidationBus invalidations,
                         Supplier<ClusterNamespace> clients, DataHomes dataHomes, String memberId) {
        this.dataHomes = dataHomes;
        this.memberId = memberId;
        this.invalidations = invalidations;
        this.clients = clients;
        this.policyVault = policyVault;
        this.system = system;
        this.localDirs = localDirs;
        this.namespace = namespace;
        this.redriveExecutor = redriveExecutor;
    }

    /** A single-node cluster on 127.0.0.1 (any port), state under {@code stateDir/meta}, root owned by root. */
    public static MetadataNode startEmbedded(Path stateDir, Clock clock) {
        return start(stateDir, clock, Caller.ROOT, ConfigFactory.empty());
    }

    /**
     * @param rootOwner uid/gid that own the root directory when it is first created
     * @param overlay   configuration that takes precedence over the built-in one (ports, seeds, tierfs.meta.*)
     */
    public static MetadataNode start(Path stateDir, Clock clock, Caller rootOwner, Config overlay) {
        Path metaDir = stateDir.resolve("meta").toAbsolutePath();
        try {
            Files.createDirectories(metaDir);
        } catch (IOException e) {
            throw new FsException(Errno.EIO, "cannot create " + metaDir, e);
        }
        overlay = ConfigFactory.defaultOverrides().withFallback(overlay);
        Config config = overlay.withFallback(baseConfig(metaDir, overlay.withFallback(ConfigFactory.defaultReference())))
                .withFallback(ConfigFactory.defaultApplication())
                .withFallback(ConfigFactory.defaultReference()).resolve();
        Config meta = config.getConfig("tierfs.meta");
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tierfs", config);
        ExecutorService redrive = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tierfs-rename-redrive");
            t.setDaemon(true);
            return t;
        });
        try {
            Duration startTimeout = meta.getDuration("start-timeout");
            JournalSchema.create(system, startTimeout);
            Cluster cluster = Cluster.get(system);
            if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
            }
            AtomicReference<ClusterNamespace> nsRef = new AtomicReference<>();
            Duration intentTimeout = meta.getDuration("intent-timeout");
            Set<Long> redriving = ConcurrentHashMap.newKeySet();
            DirEntity.Settings settings = new DirEntity.Settings(clock, meta.getInt("snapshot-every"),
                    meta.getInt("keep-snapshots"), meta.getInt("max-batch"), meta.getInt("max-early"),
                    meta.getDuration("early-linger"),
                    (dir, intent) -> submitRedrive(redrive, redriving, nsRef::get, dir, intent), intentTimeout);
            ClusterSharding sharding = ClusterSharding.get(system);
            LocalDirRegistry localDirs = new LocalDirRegistry();
            InvalidationBus bus = null;
            if (!config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
                bus = InvalidationBus.start(system); // other members cache what this one's directories hold
                localDirs.publishTo(bus);
            }
            Duration idleAfter = meta.getDuration("passivate-idle");
            sharding.init(Entity.of(ShardingGateway.DIR_KEY,
                    ctx -> DirFront.create(Long.parseLong(ctx.getEntityId()), settings, localDirs, ctx.getShard(),
                            idleAfter))
                    .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy())
                    .withRole(METADATA_ROLE)
                    .withStopMessage(new DirFront.Passivate())
                    .withAllocationStrategy(dirShardPlacement(meta.getConfig("shard-placement"))));
            sharding.init(Entity.of(ALLOC_KEY, ctx -> AllocEntity.create(ctx.getEntityId())).withRole(METADATA_ROLE));
            sharding.init(Entity.of(PolicyVault.POLICY_KEY, ctx -> PolicyEntity.create(ctx.getEntityId()))
                    .withRole(METADATA_ROLE));
            sharding.init(Entity.of(ShardedRenameLock.KEY, ctx -> RenameLockEntity.create(ctx.getEntityId(), clock))
                    .withRole(METADATA_ROLE));
            Duration askTimeout = meta.getDuration("ask-timeout");
            RetryPolicy retries = RetryPolicy.of(askTimeout, meta.getDuration("attempt-timeout"));
            Retrying reserveRetries = new Retrying(retries);
            Duration lease = meta.getDuration("rename-lock-lease");
            RenameSettings renames = new RenameSettings(new ShardedRenameLock(sharding, askTimeout), lease,
                    lease.plus(intentTimeout).plus(askTimeout), intentTimeout.dividedBy(2), askTimeout);
            ShardingGateway gateway = new ShardingGateway(sharding, retries, localDirs, system.scheduler(),
                    randomId());
            int inoRange = meta.getInt("ino-range");
            String member = meta.getString("data-home-id").isBlank() ? memberId(cluster.selfMember().address())
                    : meta.getString("data-home-id");
            DataHomes homes = new DataHomes(ino -> homeOf(sharding, ino, reserveRetries));
            Supplier<ClusterNamespace> clients = () -> {
                RangeAllocator alloc = new RangeAllocator(n -> {
                    long first = reserve(sharding, (int) n, member, reserveRetries);
                    homes.learn(new InoRange(first, n, member));
                    return first;
                }, inoRange);
                return new ClusterNamespace(gateway, alloc, () -> Math.max(1, alloc.highWater() - AllocEntity.FIRST + 1),
                        renames);
            };
            ClusterNamespace ns = clients.get();
            nsRef.set(ns);
            awaitRoot(gateway, rootOwner, startTimeout);
            LOG.info("metadata node {} up (roles {}), journal {}", cluster.selfMember().address(),
                    cluster.selfMember().getRoles(), JournalDb.of(metaDir, meta).safeUrl());
            return new MetadataNode(system, ns, redrive, localDirs, new PolicyVault(sharding, askTimeout), bus, clients,
                    homes, member);
        } catch (Exception e) {
            redrive.shutdownNow();
            system.terminate();
            awaitTermination(system);
            if (e instanceof FsException fe) {
                throw fe;
            }
            throw new FsException(Errno.EIO, "metadata node failed to start in " + metaDir, e);
        }
    }

    /** The allocation strategy of directory shards ({@code tierfs.meta.shard-placement}). */
    private static ShardCoordinator.ShardAllocationStrategy dirShardPlacement(Config c) {
        String mode = c.getString("mode");
        return switch (mode) {
            case "local-first" -> new LocalFirstAllocation(new ShardPlacement(c.getInt("slack"),
                    c.getDouble("relative-slack"), c.getInt("max-moves")));
            case "least-shards" -> ShardCoordinator.leastShardAllocationStrategy(3, 0.1);
            default -> throw new IllegalArgumentException("tierfs.meta.shard-placement.mode must be local-first or"
                    + " least-shards, got \"" + mode + "\"");
        };
    }

    /** Queues a re-drive on the node's re-drive thread, unless one of the same intent is queued or running. */
    private static void submitRedrive(ExecutorService executor, Set<Long> redriving,
                                      Supplier<ClusterNamespace> ns, long dir, RenameIntent intent) {
        if (!redriving.add(intent.txid())) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    redrive(ns.get(), dir, intent);
                } finally {
                    redriving.remove(intent.txid());
                }
            });
        } catch (RejectedExecutionException e) {
            redriving.remove(intent.txid());
            LOG.warn("node stopping: rename intent {} of directory {} is left to the next recovery", intent.txid(), dir);
        }
    }

    private static void redrive(ClusterNamespace ns, long dir, RenameIntent intent) {
        try {
            ns.redrive(dir, intent);
            LOG.info("re-drove rename intent {} of directory {}", intent.txid(), dir);
        } catch (FsException e) {
            LOG.warn("re-drive of rename intent {} in directory {} ended with {}", intent, dir, e.getMessage());
        }
    }

    /** A retry may reserve a second range: harmless, the first one's numbers are just never used. */
    private static long reserve(ClusterSharding sharding, int count, String member, Retrying retries) {
        return retries.call("reserve of " + count + " inode numbers", timeout -> sharding.entityRefFor(ALLOC_KEY, "0")
                .<Long>ask(replyTo -> new AllocEntity.Reserve(count, member, replyTo), timeout)
                .toCompletableFuture(), first -> null);
    }

    /** The reserved range that holds {@code ino} (a read: safe to retry). */
    private static InoRange homeOf(ClusterSharding sharding, long ino, Retrying retries) {
        return retries.call("data home of inode " + ino, timeout -> sharding.entityRefFor(ALLOC_KEY, "0")
                .<InoRange>ask(replyTo -> new AllocEntity.HomeOf(ino, replyTo), timeout)
                .toCompletableFuture(), r -> null);
    }

    /**
     * The id of a cluster member as data homes and memory borrow name it: {@code host-port} of its Pekko address
     * (the same string as {@code io.tierfs.borrow.cluster.Lenders.memberId}).
     */
    public static String memberId(org.apache.pekko.actor.Address a) {
        return a.host().get() + "-" + a.port().get();
    }

    /** A gateway id that no earlier run of any client used (64 random bits, hex). */
    private static String randomId() {
        return Long.toHexString(new SecureRandom().nextLong());
    }

    /** Creates the root if needed; retries until sharding answers (the cluster may still be forming). */
    private static void awaitRoot(ShardingGateway gateway, Caller owner, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                gateway.ask(InodeRef.ROOT_INO, new DirCommand.InitDir(InodeRef.ROOT_INO, 0755, owner.uid(), owner.gid()));
                return;
            } catch (FsException e) {
                if (e.errno() != Errno.ETIMEDOUT || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.info("root directory not answering yet: {}", e.getMessage());
            }
        }
    }

    /** The built-in configuration: cluster provider, artery on 127.0.0.1, SBR, CBOR, JDBC journal on H2. */
    static Config baseConfig(Path metaDir, Config settings) {
        JournalDb db = JournalDb.of(metaDir, settings.getConfig("tierfs.meta"));
        int conns = settings.getInt("tierfs.meta.db-connections");
        String roles = settings.getStringList("tierfs.meta.roles").stream()
                .map(r -> "\"" + r + "\"").collect(java.util.stream.Collectors.joining(", "));
        String hocon = """
                pekko {
                  loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                  logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                  loglevel = INFO
                  actor.provider = cluster
                  actor.serializers { tierfs-dir-event = "io.tierfs.meta.codec.DirEventSerializer" }
                  # directory events (the journal rows) in a compact binary form; Jackson for everything else, and
                  # for event rows written before the binary form existed (each row names its serializer)
                  actor.serialization-bindings {
                    "io.tierfs.meta.state.CborSerializable" = jackson-cbor
                    "io.tierfs.meta.state.DirEvent" = tierfs-dir-event
                  }
                  serialization.jackson.allowed-class-prefix = ["io.tierfs."]
                  remote.artery.canonical { hostname = "127.0.0.1", port = 0 }
                  cluster {
                    seed-nodes = []
                    roles = [%s]
                    downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
                    jmx.multi-mbeans-in-same-jvm = on
                    failure-detector.acceptable-heartbeat-pause = 10s
                  }
                  coordinated-shutdown.exit-jvm = off
                  # The node closes its layers in order (EmbeddedNode.close, from our own hook): Pekko must not race it
                  # with a shutdown of its own when the JVM gets SIGTERM.
                  coordinated-shutdown.run-by-jvm-shutdown-hook = off
                  persistence {
                    journal.plugin = "jdbc-journal"
                    snapshot-store.plugin = "jdbc-snapshot-store"
                  }
                }
                pekko-persistence-jdbc.shared-databases.slick {
                  profile = "%s"
                  db {
                    url = "%s"
                    user = "%s"
                    password = "%s"
                    driver = "%s"
                    numThreads = %d
                    maxConnections = %d
                    minConnections = 1
                  }
                }
                jdbc-journal.use-shared-db = "slick"
                jdbc-journal.parallelism = %d
                jdbc-snapshot-store.use-shared-db = "slick"
                jdbc-read-journal.use-shared-db = "slick"
                """.formatted(roles, db.profile(), db.url(), db.user(), db.password(), db.driver(), conns, conns,
                journalParallelism(db, settings.getInt("tierfs.meta.journal-parallelism")));
        return ConfigFactory.parseString(hocon);
    }

    /**
     * Concurrent journal writes (pekko-persistence-jdbc's {@code parallelism}): {@code configured}, or when 0, one
     * for H2 (its commits serialize on one file anyway, and the rows that queue up behind the write in flight, from
     * every directory, then go into ONE transaction: fewer MVStore commits) and Pekko's default 8 otherwise.
     */
    static int journalParallelism(JournalDb db, int configured) {
        if (configured > 0) {
            return configured;
        }
        return db.driver().equals("org.h2.Driver") ? 1 : 8;
    }

    /**
     * {@code listener} gets every change that another member's client made (to drop stale cache entries); nothing
     * on a single-node cluster, where this node's VFS makes every change itself.
     */
    public void onInvalidation(java.util.function.Consumer<io.tierfs.meta.cache.Invalidation> listener) {
        if (invalidations != null) {
            invalidations.subscribe(listener);
        }
    }

    public Namespace namespace() {
        return namespace;
    }

    /** Which member holds each inode's data (the member that reserved its number); answers cached forever. */
    public DataHomes dataHomes() {
        return dataHomes;
    }

    /** This member's data-home id ({@code tierfs.meta.data-home-id}, else {@link #memberId(org.apache.pekko.actor.Address)}). */
    public String memberId() {
        return memberId;
    }

    /** The cluster's migration policy store (an entity in this journal). */
    public PolicyVault policyVault() {
        return policyVault;
    }

    public ClusterNamespace clusterNamespace() {
        return namespace;
    }

    /**
     * Another client of the same namespace on this node, with its own inode ranges: an independent coordinator
     * (for tools and tests of concurrent clients; cross-directory renames of all clients share the cluster's
     * rename lock). Closing it syncs it; it stops with the node.
     */
    public ClusterNamespace newClient() {
        return clients.get();
    }

    /** The directory entities running on this node (the clients' fast path; also to passivate one). */
    public LocalDirRegistry localDirs() {
        return localDirs;
    }

    public ActorSystem<Void> system() {
        return system;
    }

    /**
     * Makes this node's client operations durable ({@link Namespace#syncAll()}), leaves the cluster and stops the
     * ActorSystem (and with it the journal's connection pool). Directory entities also flush their last batch
     * before they stop (sharding's stop message), so a clean close never loses an acknowledged operation.
     */
    @Override
    public void close() {
        try {
            namespace.syncAll();
        } catch (FsException e) {
            LOG.error("metadata node close: could not sync early-acknowledged operations: {}", e.getMessage(), e);
        }
        redriveExecutor.shutdownNow();
        system.terminate();
        awaitTermination(system);
    }

    private static void awaitTermination(ActorSystem<?> system) {
        try {
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FsException(Errno.EIO, "interrupted while stopping the metadata node", e);
        } catch (Exception e) {
            throw new FsException(Errno.EIO, "metadata node did not stop in time", e);
        }
    }
}
