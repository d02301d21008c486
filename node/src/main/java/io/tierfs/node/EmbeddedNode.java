package io.tierfs.node;

import io.tierfs.common.FsException;
import io.tierfs.common.Version;
import io.tierfs.common.config.TierFsConfig;
import io.tierfs.fuse.FuseMount;
import io.tierfs.fuse.TierFuse;
import io.tierfs.meta.cluster.MetadataNode;
import io.tierfs.migration.TieredStorage;
import io.tierfs.node.cluster.ClusterMembers;
import io.tierfs.node.cluster.NodeSpec;
import io.tierfs.node.gateway.Gateway;
import io.tierfs.node.gateway.NodeStatus;
import io.tierfs.node.gateway.NodeBackend;
import io.tierfs.node.gateway.PolicyBackend;
import io.tierfs.node.metrics.NodeMetrics;
import io.tierfs.node.policy.ClusterPolicyStore;
import io.tierfs.node.policy.LivePolicy;
import io.tierfs.node.policy.NodePolicyBackend;
import io.tierfs.node.policy.PolicyStore;
import io.tierfs.vfs.Vfs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * All roles of a TierFS node in one JVM (DESIGN.md "embedded default"): a one-node Pekko cluster hosting the
 * metadata shards, the tier storage with its mover, the VFS and its FUSE mount, and the REST gateway.
 * Start-up order is bottom-up and shutdown top-down, so that the mount never serves a request whose layers are
 * gone, and every open file is flushed before the stores close.
 */
public final class EmbeddedNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedNode.class);
    private static final java.time.Duration SINGLE_NODE_CACHE_TTL = java.time.Duration.ofMinutes(10);
    /** How stale a cached entry or attribute may be on a cluster member (see docs/consistency.md). */
    private static final java.time.Duration CLUSTER_CACHE_TTL = java.time.Duration.ofSeconds(1);

    private final TierFsConfig config;
    private final StateDir state;
    private final MetadataNode meta;
    private final TieredStorage storage;
    private final Vfs vfs;
    private final Gateway gateway;
    private final String nodeName;
    /** Memory borrow (lender and/or borrower) on a cluster member; null on a single node. */
    private final BorrowWiring borrow;
    /** The file data service and routing of a cluster member (data homes); null on a single node. */
    private final io.tierfs.node.data.FileDataService files;
    private volatile FuseMount mount;
    private final NodeMetrics metrics;
    private volatile Path mountPoint;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedNode(TierFsConfig config, StateDir state, MetadataNode meta, TieredStorage storage, Vfs vfs,
                         Gateway gateway, NodeMetrics metrics, String nodeName, BorrowWiring borrow,
                         io.tierfs.node.data.FileDataService files) {
        this.borrow = borrow;
        this.files = files;
        this.config = config;
        this.metrics = metrics;
        this.state = state;
        this.meta = meta;
        this.storage = storage;
        this.vfs = vfs;
        this.gateway = gateway;
        this.nodeName = nodeName;
    }

    /**
     * Checks, before anything else is touched, that the state directory is ours (or new) and creates the tier
     * directories, refusing one that is not writable. Call it before {@link #start}.
     */
    public static void prepare(TierFsConfig config) {
        StateDir.verify(config.stateDir());
        TierDirs.prepare(config);
    }

    /**
     * Opens (and locks) the state directory and starts metadata, storage, VFS and gateway (no mount yet). The
     * directories must have been {@linkplain #prepare prepared}.
     */
    public static EmbeddedNode start(TierFsConfig config, Clock clock) throws IOException {
        return start(config, clock, NodeSpec.of(config.raw()));
    }

    /**
     * As {@link #start(TierFsConfig, Clock)} for one member of a cluster: {@code spec} gives the roles (the metadata
     * shards are hosted here only with "metadata") and the gateway's address. A node that joins seed nodes keeps its
     * VFS caches short, since other nodes change the namespace too.
     */
    public static EmbeddedNode start(TierFsConfig config, Clock clock, NodeSpec spec) throws IOException {
        StateDir state = StateDir.open(config.stateDir());
        List<AutoCloseable> started = new ArrayList<>();
        started.add(state);
        try {
            String nodeName = java.net.InetAddress.getLoopbackAddress().getHostName();
            // The root belongs to whoever runs the node (a user's own mount is writable by that user), and the
            // user's `pekko` and `tierfs.meta` settings reach the metadata node.
            boolean clustered = config.raw().hasPath("pekko.cluster.seed-nodes")
                    && !config.raw().getStringList("pekko.cluster.seed-nodes").isEmpty();
            com.typesafe.config.Config metaConfig = spec.withClusterRoles(config.raw());
            if (clustered) { // the name under which this member holds the data of the files it creates
                metaConfig = com.typesafe.config.ConfigFactory.parseMap(java.util.Map.of("tierfs.meta.data-home-id",
                        io.tierfs.node.data.DataHomeId.load(state.root(), config.raw()))).withFallback(metaConfig);
            }
            MetadataNode meta = MetadataNode.start(state.root(), clock, ProcessUser.current(), metaConfig);
            started.add(meta);
            // the migration policy is the cluster's: kept in the metadata journal
            LivePolicy policy = LivePolicy.open(config, clock,
                    new ClusterPolicyStore(meta.policyVault(), new PolicyStore(config.stateDir())));
            BorrowWiring borrow = BorrowWiring.of(config, spec, clustered, meta.system());
            if (borrow != null) {
                started.add(borrow.memoryBorrow());
                borrow.startLender(clock);
            }
            TieredStorage storage = TieredStorage.openWithPolicy(config, clock, nodeName, policy::current, true,
                    borrow == null ? io.tierfs.tier.engine.TierEngine::localSpace : borrow::spaceFor);
            started.add(storage);
            if (borrow != null) {
                borrow.startBorrower(storage.engine(), clock);
            }
            // On a cluster every member serves the files homed on it (their inode numbers came from its ranges)
            // and reaches the others' files through their homes; a single node keeps its data to itself.
            io.tierfs.node.data.FileDataService files = clustered
                    ? io.tierfs.node.data.FileDataService.start(config.raw(), meta, storage, state.root(),
                    config.chunkSize()) : null;
            if (files != null) {
                started.add(files);
            }
            io.tierfs.tier.DataStore data = files == null ? storage : files.routing();
            NodeMetrics metrics = NodeMetrics.start(nodeName, state.root(), storage, meta.system());
            started.add(metrics);
            if (borrow != null) {
                metrics.attachMemoryBorrow(borrow.memoryBorrow().gauges());
            }
            // On a single node every change goes through this VFS, so its caches stay coherent for long; in a
            // cluster other nodes change the namespace too.
            Vfs vfs = new Vfs(metrics.instrument(meta.namespace()), data, clock,
                    spec.cacheTtl().orElse(clustered ? CLUSTER_CACHE_TTL : SINGLE_NODE_CACHE_TTL));
            started.add(vfs);
            meta.onInvalidation(vfs.cache()::apply); // changes other members made: pushed by the directory entities
            vfs.revalidateOnOpen(clustered); // close-to-open across members
            if (files != null) {
                files.keepDataOfOpenFiles(vfs::keepsDataOfRemovedInode); // unlinked elsewhere, still open here
            }
            NodePolicyBackend policyBackend = new NodePolicyBackend(policy, storage, vfs, clock);
            storage.liveMover().ifPresent(m -> m.facts(policyBackend.facts()));
            EmbeddedNode[] self = new EmbeddedNode[1];
            Gateway gw = Gateway.start(meta.system(), spec.gatewayHost(), spec.gatewayPort(), state.root(), metrics, new NodeBackend() {
                @Override
                public NodeStatus status() {
                    return self[0].status();
                }

                @Override
                public FileWhere where(String path) {
                    return self[0].where(path);
                }

                @Override
                public MoveReport demoteAll() {
                    return self[0].demoteAll();
                }

                @Override
                public PolicyBackend policy() {
                    return policyBackend;
                }

                @Override
                public List<ClusterMembers.MemberInfo> members() {
                    return ClusterMembers.of(meta.system(), java.time.Duration.ofSeconds(5));
                }

                @Override
                public io.tierfs.borrow.cluster.ReclaimResult reclaim(String node, java.time.Duration deadline) {
                    return BorrowWiring.reclaim(meta.system(), node, deadline);
                }

                @Override
                public io.tierfs.borrow.cluster.LenderView reopen(String node) {
                    return BorrowWiring.reopen(meta.system(), node);
                }
            });
            self[0] = new EmbeddedNode(config, state, meta, storage, vfs, gw, metrics, nodeName, borrow, files);
            return self[0];
        } catch (RuntimeException | IOException e) {
            java.util.Collections.reverse(started); // last started, first stopped; the state dir's lock last
            closeAll(started);
            throw e;
        }
    }

    /** Mounts the namespace at {@code mountPoint}; fails with a clear message for a bad mount point. */
    public void mount(Path mountPoint) {
        Path mp = mountPoint.toAbsolutePath().normalize();
        List<String> options = new ArrayList<>(config.fuseOptions());
        String stateText = state.root().toString();
        if (!stateText.contains(",") && !stateText.contains(" ")) {
            options.add("fsname=tierfs:" + stateText);
        }
        this.mountPoint = mp; // before the kernel shows the mount: status must never report a live mount as none
        try {
            boolean single = singleThreaded(config, files != null);
            TierFuse fuse;
            if (files != null && !single) {
                fuse = new io.tierfs.fuse.LockingTierFuse(vfs, files.locks());
            } else {
                if (files != null) {
                    log.warn("tierfs.fuse.single-threaded = true on a cluster member: fcntl and flock locks are "
                            + "local to this member (a waiting lock would stall a single-threaded mount)");
                }
                fuse = new TierFuse(vfs);
            }
            metrics.attachFuse(fuse);
            this.mount = FuseMount.mount(fuse, mp, options, single);
        } catch (RuntimeException e) {
            this.mountPoint = null;
            throw e;
        }
        log.info("mounted {} (state {})", mp, state.root());
    }

    /**
     * libfuse's {@code -s}: as configured, else single-threaded for a one-node mount (faster, and the kernel's own
     * locks are exact there) and multithreaded for a cluster member, whose lock waits (F_SETLKW, flock) hold
     * their handler thread until another member's process unlocks.
     */
    static boolean singleThreaded(TierFsConfig config, boolean clustered) {
        return config.raw().hasPath("tierfs.fuse.single-threaded") ? config.fuseSingleThreaded() : !clustered;
    }

    /** Blocks until the mount goes away (tierfs umount, fusermount -u) or {@link #close()} is called. */
    public void awaitUnmounted() throws InterruptedException {
        while (!stopped.await(250, TimeUnit.MILLISECONDS)) {
            Path mp = mountPoint;
            if (mp != null && !io.tierfs.fuse.MountTable.isMountPoint(mp)) {
                log.info("{} was unmounted", mp);
                return;
            }
        }
    }

    public NodeStatus status() {
        return new NodeStatus(Version.PRODUCT, nodeName, state.root().toString(),
                mountPoint == null ? null : mountPoint.toString(), meta.namespace().inodeCount(), storage.usage(),
                storage.moverStatus());
    }

    public NodeBackend.FileWhere where(String path) {
        var attr = vfs.getattr(path);
        if (attr.type() != io.tierfs.common.FileType.REGULAR) {
            throw FsException.of(io.tierfs.common.Errno.EISDIR, "%s is not a regular file", path);
        }
        return new NodeBackend.FileWhere(path, attr.ino(), attr.size(), storage.where(attr.ino()));
    }

    /** Moves every chunk one tier down and waits for the mover (see {@link NodeBackend#demoteAll()}). */
    public NodeBackend.MoveReport demoteAll() {
        long t0 = System.nanoTime();
        var before = storage.moverStatus();
        storage.demoteAll();
        var after = storage.moverStatus();
        return new NodeBackend.MoveReport(after.done() - before.done(),
                (after.bytesDown() - before.bytesDown()) + (after.bytesUp() - before.bytesUp()),
                (System.nanoTime() - t0) / 1_000_000);
    }

    public TierFsConfig config() {
        return config;
    }

    public TieredStorage storage() {
        return storage;
    }

    public Vfs vfs() {
        return vfs;
    }

    /** The Pekko ActorSystem of this node's cluster membership. */
    public org.apache.pekko.actor.typed.ActorSystem<Void> metadataSystem() {
        return meta.system();
    }

    public int gatewayPort() {
        return gateway.port();
    }

    /** Unmounts (if mounted), flushes every open file and closes the layers top-down. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            awaitClosed(); // e.g. the SIGTERM hook and the main thread both stop the node: both return when it is down
            return;
        }
        List<AutoCloseable> order = new ArrayList<>();
        FuseMount m = mount;
        if (m != null) {
            order.add(m);
        }
        order.add(gateway);
        order.add(metrics);
        if (borrow != null) {
            order.add(borrow::leave); // graceful leave: borrowers give our memory back before we go
        }
        order.add(vfs);
        if (files != null) {
            order.add(files); // other members' calls for our files fail from here on, before the store closes
        }
        order.add(storage);
        if (borrow != null) {
            order.add(borrow.memoryBorrow());
        }
        order.add(meta);
        order.add(state);
        try {
            closeAll(order);
        } finally {
            stopped.countDown();
            log.info("node stopped");
        }
    }

    private void awaitClosed() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        RuntimeException first = null;
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                log.error("closing {} failed", c.getClass().getSimpleName(), e);
                if (first == null) {
                    first = new IllegalStateException("shutdown of " + c.getClass().getSimpleName() + " failed", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
