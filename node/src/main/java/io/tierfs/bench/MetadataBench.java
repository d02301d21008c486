package io.tierfs.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tierfs.common.config.ConfigException;
import io.tierfs.common.config.TierFsConfig;
import io.tierfs.node.EmbeddedNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;

/**
 * {@code tierfs bench metadata}: the metadata cluster's rates and per-CPU efficiency without FUSE, on 1 and on 3
 * nodes, and (with --mount) the same kind of operations through a FUSE mount against tmpfs.
 * <p>
 * The harness drives the {@link io.tierfs.meta.api.Namespace} API directly with C client threads
 * ({@link ApiWorkload}), journal on disk. Three nodes are three ActorSystems in this JVM on 127.0.0.1 forming one
 * cluster over one journal ({@link MetaCluster}); on a machine with fewer cores than nodes three nodes cannot be
 * faster than one, so every phase also reports operations per CPU-second of the process, and the 3-node figure is
 * compared with the 1-node one. Before each node count's measurements a smaller warm-up run (JIT, entity start)
 * is thrown away. Everything lives in a fresh directory under --state (default: the JVM's temp directory), deleted
 * at the end. Exit status 1 when a floor is not met.
 */
public final class MetadataBench {
    /** Files of the warm-up run before each node count (at most --files). */
    static final int WARMUP_FILES = 20_000;
    private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(120);
    private static final Config QUIET_STDOUT = ConfigFactory.parseString("pekko.stdout-loglevel = OFF");

    private MetadataBench() {
    }

    /** CLI entry: parses, runs, prints; 0 when every floor is met, 1 otherwise. */
    public static int run(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        MetadataBenchOptions o = MetadataBenchOptions.parse(argv);
        MetadataBenchReport report = run(o, err);
        out.println(o.json() ? report.toJson() : report.toTable());
        out.flush();
        return report.floorsMet() ? 0 : 1;
    }

    /** Runs what the options ask for; progress lines go to {@code progress}. */
    public static MetadataBenchReport run(MetadataBenchOptions o, PrintStream progress) throws IOException {
        Config overlay = overlay(o);
        if (ForkJoinPool.getCommonPoolParallelism() < 2) {
            // STACK.md pitfall 1: every async callback of Pekko's Java ask API would start a thread (3-5x slower)
            progress.println("bench metadata: warning: the common ForkJoinPool has parallelism "
                    + ForkJoinPool.getCommonPoolParallelism() + "; run with "
                    + "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4 (as ./tierfs does) for fair figures");
        }
        Path parent = o.state().orElse(Path.of(System.getProperty("java.io.tmpdir")));
        Files.createDirectories(parent);
        Path work = Files.createTempDirectory(parent, "tierfs-bench-metadata-");
        try {
            int across = Math.max(1, o.files() / ApiWorkload.ACROSS_DIVISOR);
            MetadataBenchReport.Setup setup = new MetadataBenchReport.Setup(LocalDate.now().toString(),
                    Runtime.getRuntime().availableProcessors(), Runtime.version().toString(),
                    ForkJoinPool.getCommonPoolParallelism(), o.clients(), o.files(), across, o.dirs(),
                    journal(overlay), work.toString(), Files.getFileStore(work).type());
            List<MetadataBenchReport.HarnessRun> harness = new ArrayList<>();
            for (int n : o.nodeCounts()) {
                harness.addAll(harness(n, work.resolve("nodes-" + n), overlay, o, progress));
            }
            List<MetadataBenchReport.MountRun> mount = o.mount() ? mount(work, o, progress) : List.of();
            return MetadataBenchReport.of(setup, harness, mount);
        } finally {
            BenchFiles.deleteTree(work);
        }
    }

    /**
     * Each layout on a cluster of its own, started fresh: where one layout's directories were placed (all made by
     * one client in many-dirs and one-dir) must not decide where the next layout's directories can go.
     */
    private static List<MetadataBenchReport.HarnessRun> harness(int nodes, Path state, Config overlay,
                                                                MetadataBenchOptions o, PrintStream progress) {
        List<MetadataBenchReport.HarnessRun> out = new ArrayList<>();
        for (MetaLayout l : o.layouts()) {
            progress.printf(Locale.ROOT, "bench metadata: starting %d node(s) for %s...%n", nodes, l.label());
            try (MetaCluster cluster = MetaCluster.start(nodes, state.resolve(l.label()), overlay, CLUSTER_TIMEOUT)) {
                ApiWorkload w = new ApiWorkload(cluster.namespaces(), o.clients(), o.dirs());
                int warm = Math.min(o.files(), WARMUP_FILES);
                progress.printf(Locale.ROOT, "bench metadata: %d node(s), warm-up, %s, %,d files%n", nodes,
                        l.label(), warm);
                w.run(l, warm, "warmup-" + l.label());
                progress.printf(Locale.ROOT, "bench metadata: %d node(s), %s, %,d files%n", nodes, l.label(), o.files());
                out.add(new MetadataBenchReport.HarnessRun(nodes, l.label(), w.run(l, o.files(), l.label())));
            }
        }
        return out;
    }

    /**
     * An embedded node (all roles, one-node cluster) mounted on a fresh directory, tiers under the work directory
     * and a fresh directory on /dev/shm unless --config sets them; then each layout on the mount and on tmpfs.
     */
    private static List<MetadataBenchReport.MountRun> mount(Path work, MetadataBenchOptions o, PrintStream progress)
            throws IOException {
        Path shm = Path.of("/dev/shm", "tierfs-bench-metadata-" + UUID.randomUUID());
        Path mp = Files.createDirectory(work.resolve("mnt"));
        Path state = work.resolve("mount-state");
        Config tiers = ConfigFactory.parseString("""
                tierfs.tiers = [
                  { name = dram, kind = dram, path = "%s", capacity = auto }
                  { name = ssd,  kind = ssd,  path = "%s", capacity = auto }
                  { name = hdd,  kind = hdd,  path = "%s", capacity = auto }
                ]""".formatted(shm.resolve("dram"), work.resolve("ssd"), work.resolve("hdd")));
        // a node's config knows only tierfs.* and pekko.*; other keys of --config (e.g. jdbc-journal.*) are the harness's
        Config known = overlay(o);
        Config nodeConfig = ConfigFactory.empty();
        for (String key : List.of("tierfs", "pekko")) {
            if (known.hasPath(key)) {
                nodeConfig = nodeConfig.withFallback(known.withOnlyPath(key));
            }
        }
        TierFsConfig cfg = TierFsConfig.fromConfig(state, nodeConfig.withFallback(tiers));
        List<MetadataBenchReport.MountRun> out = new ArrayList<>();
        MountWorkload w = new MountWorkload(o.clients(), o.dirs());
        Path base = Files.createDirectories(shm.resolve("baseline"));
        try {
            EmbeddedNode.prepare(cfg);
            progress.println("bench metadata: mounting TierFS on " + mp + "...");
            try (EmbeddedNode node = EmbeddedNode.start(cfg, Clock.systemUTC())) {
                node.mount(mp);
                int warm = Math.min(o.files(), WARMUP_FILES / 4);
                progress.printf(Locale.ROOT, "bench metadata: mount warm-up, %,d files%n", warm);
                w.run(mp, MetaLayout.MANY_DIRS, warm);
                for (MetaLayout l : o.layouts()) {
                    progress.printf(Locale.ROOT, "bench metadata: through the mount, %s, %,d files%n", l.label(),
                            o.files());
                    List<PhaseResult> t = w.run(mp, l, o.files());
                    progress.printf(Locale.ROOT, "bench metadata: tmpfs, %s, %,d files%n", l.label(), o.files());
                    List<PhaseResult> b = w.run(base, l, o.files());
                    out.add(MetadataBenchReport.MountRun.of(l.label(), t, b));
                }
            }
        } finally {
            BenchFiles.deleteTree(shm);
        }
        return out;
    }

    /**
     * The user's --config (if any) over the bench's own default: Pekko's stdout logger off. Pekko prints what it logs
     * while an ActorSystem starts or stops to stdout, bypassing SLF4J, and the bench stops up to three systems: that
     * would break the --json output (the nodes' log file still has everything).
     */
    private static Config overlay(MetadataBenchOptions o) {
        Config user = o.config().map(MetadataBench::parseFile).orElse(ConfigFactory.empty());
        return user.withFallback(QUIET_STDOUT);
    }

    private static Config parseFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("config file " + file + " does not exist or is not a regular file");
        }
        try {
            return ConfigFactory.parseFile(file.toFile()).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The journal the nodes use: a JDBC URL the overlay sets, else the H2 file under each run's state. */
    static String journal(Config overlay) {
        String slick = "pekko-persistence-jdbc.shared-databases.slick.db.url";
        if (overlay.hasPath(slick)) {
            return overlay.getString(slick);
        }
        if (overlay.hasPath("tierfs.meta")) {
            for (var e : overlay.getConfig("tierfs.meta").entrySet()) {
                if (e.getKey().toLowerCase(Locale.ROOT).contains("url")) {
                    return String.valueOf(e.getValue().unwrapped());
                }
            }
        }
        return "H2 file <state>/nodes-N/meta/journal.mv.db, shared by the nodes of a run";
    }
}
