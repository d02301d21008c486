package io.tierfs.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Knobs of {@link MetadataBench}: node counts of the harness (1, 3 or both), client threads, files per phase,
 * directories of the many-dirs layout, layouts, whether to measure through a FUSE mount too, output format, where
 * the journal lives (a fresh directory under {@code state}, default the JVM's temp directory: it must be on disk
 * for the figures to mean "journal on disk"), and an optional HOCON file overlaid on every metadata node
 * ({@code tierfs.meta.*}, {@code pekko.*}; e.g. a PostgreSQL journal) and on the mounted node.
 */
public record MetadataBenchOptions(List<Integer> nodeCounts, int clients, int files, int dirs,
                                   List<MetaLayout> layouts, boolean mount, boolean json, Optional<Path> state,
                                   Optional<Path> config) {

    public static final int DEFAULT_CLIENTS = 4;
    public static final int DEFAULT_FILES = 50_000;
    public static final int DEFAULT_DIRS = 64;
    public static final String USAGE = "bench metadata [--nodes 1|3|both] [--clients 4] [--files 50000] [--dirs 64] "
            + "[--layout many-dirs|one-dir|unique-dirs|both|all] [--mount] [--json] [--state DIR] [--config FILE]";

    public MetadataBenchOptions {
        nodeCounts = List.copyOf(nodeCounts);
        layouts = List.copyOf(layouts);
        if (nodeCounts.isEmpty() || layouts.isEmpty()) {
            throw new IllegalArgumentException("need at least one node count and one layout");
        }
        if (clients <= 0 || files <= 0) {
            throw new IllegalArgumentException("--clients and --files must be positive: " + clients + ", " + files);
        }
        if (dirs < 2) {
            throw new IllegalArgumentException("--dirs must be at least 2, got " + dirs);
        }
    }

    /** 1 and 3 nodes, 4 clients, 50,000 files per phase, 64 directories, every layout, no mount, a table. */
    public static MetadataBenchOptions defaults() {
        return new MetadataBenchOptions(List.of(1, 3), DEFAULT_CLIENTS, DEFAULT_FILES, DEFAULT_DIRS,
                List.of(MetaLayout.values()), false, false, Optional.empty(), Optional.empty());
    }

    public MetadataBenchOptions withNodeCounts(List<Integer> n) {
        return new MetadataBenchOptions(n, clients, files, dirs, layouts, mount, json, state, config);
    }

    public MetadataBenchOptions withClients(int n) {
        return new MetadataBenchOptions(nodeCounts, n, files, dirs, layouts, mount, json, state, config);
    }

    public MetadataBenchOptions withFiles(int n) {
        return new MetadataBenchOptions(nodeCounts, clients, n, dirs, layouts, mount, json, state, config);
    }

    public MetadataBenchOptions withDirs(int n) {
        return new MetadataBenchOptions(nodeCounts, clients, files, n, layouts, mount, json, state, config);
    }

    public MetadataBenchOptions withLayouts(List<MetaLayout> l) {
        return new MetadataBenchOptions(nodeCounts, clients, files, dirs, l, mount, json, state, config);
    }

    public MetadataBenchOptions withMount(boolean m) {
        return new MetadataBenchOptions(nodeCounts, clients, files, dirs, layouts, m, json, state, config);
    }

    public MetadataBenchOptions withJson(boolean j) {
        return new MetadataBenchOptions(nodeCounts, clients, files, dirs, layouts, mount, j, state, config);
    }

    public MetadataBenchOptions withState(Path dir) {
        return new MetadataBenchOptions(nodeCounts, clients, files, dirs, layouts, mount, json, Optional.of(dir), config);
    }

    public MetadataBenchOptions withConfig(Path file) {
        return new MetadataBenchOptions(nodeCounts, clients, files, dirs, layouts, mount, json, state, Optional.of(file));
    }

    /** Parses the arguments after {@code bench metadata}. */
    public static MetadataBenchOptions parse(List<String> args) {
        MetadataBenchOptions o = defaults();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--nodes" -> o = o.withNodeCounts(switch (value(args, ++i, a)) {
                    case "1" -> List.of(1);
                    case "3" -> List.of(3);
                    case "both" -> List.of(1, 3);
                    default -> throw new IllegalArgumentException("--nodes takes 1, 3 or both, not '" + args.get(i) + "'");
                });
                case "--clients" -> o = o.withClients(BenchArgs.count(value(args, ++i, a), a));
                case "--files" -> o = o.withFiles(BenchArgs.count(value(args, ++i, a), a));
                case "--dirs" -> o = o.withDirs(BenchArgs.count(value(args, ++i, a), a));
                case "--layout" -> {
                    String l = value(args, ++i, a);
                    o = o.withLayouts(switch (l) {
                        case "both" -> List.of(MetaLayout.MANY_DIRS, MetaLayout.ONE_DIR);
                        case "all" -> List.of(MetaLayout.values());
                        default -> List.of(MetaLayout.parse(l));
                    });
                }
                case "--mount" -> o = o.withMount(true);
                case "--json" -> o = o.withJson(true);
                case "--state" -> o = o.withState(Path.of(value(args, ++i, a)));
                case "--config" -> o = o.withConfig(Path.of(value(args, ++i, a)));
                default -> throw new IllegalArgumentException("unexpected argument '" + a + "' (usage: tierfs " + USAGE + ")");
            }
        }
        return o;
    }

    private static String value(List<String> args, int i, String flag) {
        return BenchArgs.value(args, i, flag, "tierfs " + USAGE);
    }
}
