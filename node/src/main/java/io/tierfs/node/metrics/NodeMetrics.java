package io.tierfs.node.metrics;

import io.tierfs.fuse.TierFuse;
import io.tierfs.meta.api.Namespace;
import io.tierfs.migration.MoveEvent;
import io.tierfs.migration.TieredStorage;
import io.tierfs.node.gateway.Observability;
import io.tierfs.tier.MoverStatus;
import io.tierfs.tier.TierUsage;
import io.tierfs.tier.engine.TierStore;
import org.apache.hadoop.metrics2.MetricsSystem;
import org.apache.hadoop.metrics2.impl.MetricsSystemImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's metrics: a hadoop metrics2 system (prefix {@value #PREFIX}) with sources for the tiers, the mover,
 * the metadata service, FUSE and memory borrow; the Prometheus sink behind GET /metrics; JMX as metrics2 gives it
 * (domain "Hadoop", service "tierfs"); and whatever sinks hadoop-metrics2-tierfs.properties adds (a file sink, say).
 * A sampler keeps the last hour of usage and throughput for the status page. See docs/metrics.md.
 */
public final class NodeMetrics implements Observability, AutoCloseable {
    public static final String PREFIX = "tierfs";
    static final String CONTEXT = "tierfs";
    public static final String PROMETHEUS_SINK = "prometheus";
    private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);

    /** How often the sampler runs, how much history it keeps, and the window of the latency quantiles. */
    public record Options(Duration sampleInterval, Duration historySpan, int quantileWindowSeconds, int recentMoves) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(5), Duration.ofHours(1), 60, 50);
    }

    private final String node;
    private final TieredStorage storage;
    private final Options options;
    private final MetricsSystemImpl system;
    private final PrometheusTextSink prometheus = new PrometheusTextSink();
    private final MetadataOpStats metaStats = new MetadataOpStats();
    private final MoveLog moves;
    private final Rates rates = new Rates();
    private final History history;
    private final ShardCount shards;
    private final FuseMetricsSource fuse;
    private final List<TierMetricsSource> tierSources = new ArrayList<>();
    private final MetadataMetricsSource metaSource;
    private final MemoryBorrowMetricsSource borrowSource;
    private final ScheduledExecutorService sampler;
    private final List<String> sourceNames = new ArrayList<>();

    private NodeMetrics(String node, Path configDir, TieredStorage storage,
                        org.apache.pekko.actor.typed.ActorSystem<?> actors, Options options) {
        this.node = node;
        this.storage = storage;
        this.options = options;
        this.moves = new MoveLog(options.recentMoves());
        this.history = new History((int) Math.max(1, options.historySpan().toMillis() / options.sampleInterval().toMillis()));
        this.shards = new ShardCount(actors);
        this.system = new MetricsSystemImpl(PREFIX);
        MetricsConfigDir.init(system, PREFIX, configDir);
        int window = options.quantileWindowSeconds();
        for (TierStore t : storage.engine().tiers()) {
            int index = t.index();
            TierMetricsSource s = new TierMetricsSource(node, t.name(), t.io(), () -> storage.usage().get(index), window);
            tierSources.add(s);
            register("Tier-" + t.name(), "tier " + t.name() + " of this node", s);
        }
        register("Mover", "the mover of this node", new MoverMetricsSource(node, storage::moverStatus, moves, rates));
        this.metaSource = new MetadataMetricsSource(node, metaStats, shards, rates, window);
        register("Metadata", "metadata operations of this node", metaSource);
        this.fuse = new FuseMetricsSource(node);
        register("Fuse", "FUSE operations of this node", fuse);
        this.borrowSource = new MemoryBorrowMetricsSource(node, window);
        register("MemoryBorrow", "memory this node lends to other nodes", borrowSource);
        system.register(PROMETHEUS_SINK, "Prometheus text for GET /metrics", prometheus);
        storage.addMoveListener(moves);
        this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "tierfs-metrics-sampler");
            th.setDaemon(true);
            return th;
        });
        long every = options.sampleInterval().toMillis();
        sampler.scheduleAtFixedRate(this::sampleSafely, 0, every, TimeUnit.MILLISECONDS);
        system.publishMetricsNow(); // /metrics answers from the start, not one period later
    }

    /**
     * Starts the metrics of a node whose configuration (hadoop-metrics2-tierfs.properties) may lie in
     * {@code configDir}; {@code actors} (may be null) is asked for the shards this node hosts.
     */
    public static NodeMetrics start(String node, Path configDir, TieredStorage storage,
                                    org.apache.pekko.actor.typed.ActorSystem<?> actors, Options options) {
        return new NodeMetrics(node, configDir, storage, actors, options);
    }

    public static NodeMetrics start(String node, Path configDir, TieredStorage storage,
                                    org.apache.pekko.actor.typed.ActorSystem<?> actors) {
        return start(node, configDir, storage, actors, Options.DEFAULT);
    }

    private void register(String name, String description, org.apache.hadoop.metrics2.MetricsSource source) {
        String unique = name;
        try {
            system.register(name, description, source);
        } catch (org.apache.hadoop.metrics2.MetricsException e) {
            // Source names are JVM-wide in metrics2: a second node in this JVM (tests) gets suffixed names.
            unique = name + "-" + Integer.toHexString(System.identityHashCode(this));
            log.info("metrics source {} exists in this JVM; registering {}", name, unique);
            system.register(unique, description, source);
        }
        sourceNames.add(unique);
    }

    /** The namespace with its operations counted and timed for the metadata metrics. */
    public Namespace instrument(Namespace ns) {
        return new TimedNamespace(ns, metaStats);
    }

    /** Starts counting the operations of a FUSE adapter (the node calls it when it mounts). */
    public void attachFuse(TierFuse f) {
        fuse.attach(f);
    }

    /** Reports the memory this node lends (its lender's published view and recalls); zeros until called. */
    public void attachMemoryBorrow(io.tierfs.borrow.cluster.LenderGauges gauges) {
        borrowSource.attach(gauges);
    }

    public MetricsSystem system() {
        return system;
    }

    /**
     * Samples every source and hands the records to every sink now (tests; /metrics start-up). Best effort, as
     * metrics2 makes it: a sink whose queue still holds the previous buffer skips this one (metrics2 logs "has a full
     * queue"), and sees the values at the next publish.
     */
    public void publishNow() {
        system.publishMetricsNow();
    }

    /** Takes a history sample now (the sampler does it every interval). */
    public void sampleNow() {
        sampleSafely();
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException e) {
            log.warn("metrics sampler: {}", e.toString());
        }
    }

    private synchronized void sample() {
        long nanos = System.nanoTime();
        double down = rates.update(MoverMetricsSource.RATE_DOWN, moves.down().bytes(), nanos);
        double up = rates.update(MoverMetricsSource.RATE_UP, moves.up().bytes(), nanos);
        for (var e : metaStats.ops().entrySet()) {
            rates.update(MetadataMetricsSource.RATE_PREFIX + e.getKey(), e.getValue(), nanos);
        }
        double metaRate = rates.update("meta.ops", metaStats.total(), nanos);
        List<Long> used = new ArrayList<>();
        for (TierUsage u : storage.usage()) {
            used.add(u.usedBytes());
        }
        history.add(new History.Sample(System.currentTimeMillis(), used, down, up, metaRate));
        shards.refresh();
    }

    @Override
    public String prometheusText() {
        return prometheus.render();
    }

    @Override
    public Dashboard dashboard() {
        List<String> names = new ArrayList<>();
        for (TierStore t : storage.engine().tiers()) {
            names.add(t.name());
        }
        List<Dashboard.Move> running = new ArrayList<>();
        for (MoveEvent e : moves.inProgress()) {
            running.add(view(e, names));
        }
        List<Dashboard.Move> recent = new ArrayList<>();
        for (MoveEvent e : moves.recent()) {
            recent.add(view(e, names));
        }
        MoverStatus ms = storage.moverStatus();
        var migrations = new Dashboard.Migrations(running, recent, moves.down().moved(), moves.up().moved(),
                moves.down().bytes(), moves.up().bytes(), ms.failed());
        return new Dashboard(System.currentTimeMillis(), node, options.sampleInterval().toMillis(), names,
                history.samples(), migrations, List.of(borrowSource.lentMemory()));
    }

    private static Dashboard.Move view(MoveEvent e, List<String> names) {
        return new Dashboard.Move(e.ino(), e.chunk(), tierName(names, e.fromTier()), tierName(names, e.toTier()),
                e.up() ? "up" : "down", e.bytes(), e.result() == null ? null : e.result().name(), e.startMillis(),
                e.endMillis());
    }

    private static String tierName(List<String> names, int index) {
        return index >= 0 && index < names.size() ? names.get(index) : Integer.toString(index);
    }

    /** Stops the sampler and the metrics system (sinks flushed, MBeans unregistered). */
    @Override
    public void close() {
        sampler.shutdownNow();
        for (TierMetricsSource s : tierSources) {
            s.stop();
        }
        metaSource.stop();
        borrowSource.stop();
        for (String name : sourceNames) {
            system.unregisterSource(name); // frees the JVM-wide name for a node started later in this JVM
        }
        system.stop();
        system.shutdown();
    }
}
