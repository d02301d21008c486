package io.tierfs.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.BadValue;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated configuration of a TierFS node. Built from the defaults below, overlaid with the user's HOCON
 * file; unknown keys, negative sizes and inconsistent watermarks are rejected with a one-line message so that a
 * typo never silently falls back to a default.
 *
 * <pre>
 * tierfs {
 *   chunk-size = 4MiB
 *   flush-interval = 5s          # dirty DRAM chunks are copied to a durable tier at most this old
 *   mover-interval = 200ms       # how often tier usage is checked against the watermarks
 *   tiers = [
 *     { name = dram, kind = dram, path = "/dev/shm/tierfs-...", capacity = auto, high-watermark = 0.90, low-watermark = 0.70 }
 *     { name = ssd,  kind = ssd,  path = "STATE/ssd", capacity = auto, ... }
 *     { name = hdd,  kind = hdd,  path = "STATE/hdd", capacity = auto, ... }
 *   ]
 *   fuse { single-threaded = true, options = [] }
 *   meta { ... }                 # metadata settings, see the metadata module's reference.conf
 * }
 * pekko { ... }                  # passed to the node's actor system as is
 * </pre>
 */
public record TierFsConfig(Path stateDir, long chunkSize, Duration flushInterval, Duration moverInterval,
                           List<TierSpec> tiers, boolean fuseSingleThreaded, List<String> fuseOptions,
                           Config raw) {

    private static final Set<String> TOP_KEYS = Set.of("chunk-size", "flush-interval", "mover-interval", "tiers", "fuse",
            "meta", "policy", "node", "lend", "borrow", "dataplane");
    private static final Set<String> POLICY_KEYS = Set.of("file");
    private static final Set<String> TIER_KEYS = Set.of("name", "kind", "path", "capacity", "high-watermark", "low-watermark");
    private static final Set<String> FUSE_KEYS = Set.of("single-threaded", "options");

    /**
     * How old dirty DRAM data may get before the flusher copies it to a durable tier. Long enough that a burst of
     * writes completes before its write-back competes with it for the CPU (as the page cache waits 30 s), short
     * enough that a machine crash loses only seconds of data that nobody fsynced.
     */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(5);

    /**
     * libfuse's -s: one thread serves every request. Measured on 2 cores (docs/benchmarks.md) it beats the
     * multithreaded loop for one and for two concurrent clients (fewer thread hand-offs); the price is that one slow
     * request (a large fsync) delays the others, so many-core nodes with many clients may prefer false.
     */
    public static final boolean DEFAULT_FUSE_SINGLE_THREADED = true;

    /** Fraction of MemAvailable the DRAM tier takes by default. */
    public static final double DEFAULT_DRAM_FRACTION = 0.25;

    public TierFsConfig {
        tiers = List.copyOf(tiers);
        fuseOptions = List.copyOf(fuseOptions);
        if (tiers.isEmpty()) {
            throw new ConfigException("tierfs.tiers: at least one tier is needed");
        }
        if (!tiers.get(tiers.size() - 1).kind().durable()) {
            throw new ConfigException("tierfs.tiers: the last (slowest) tier must be durable, it is " + tiers.get(tiers.size() - 1).kind());
        }
        if (chunkSize < 4096 || Long.bitCount(chunkSize) != 1 || chunkSize > (1L << 30)) {
            throw new ConfigException("tierfs.chunk-size must be a power of two between 4KiB and 1GiB, got " + chunkSize);
        }
        Set<String> names = new java.util.HashSet<>();
        for (TierSpec t : tiers) {
            if (!names.add(t.name())) {
                throw new ConfigException("tierfs.tiers: duplicate tier name '" + t.name() + "'");
            }
        }
    }

    /** The defaults alone, with state under {@code stateDir}. */
    public static TierFsConfig defaults(Path stateDir) {
        return load(stateDir, null);
    }

    /**
     * Loads {@code file} (HOCON; may be null for defaults only) for a node whose state lives under {@code stateDir}.
     *
     * @throws ConfigException with an operator-readable message on any problem
     */
    public static TierFsConfig load(Path stateDir, Path file) {
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("config file " + file + " does not exist or is not a regular file");
            }
            try {
                user = ConfigFactory.parseFile(file.toFile()).resolve();
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException("config file " + file + ": " + e.getMessage(), e);
            }
        }
        return fromConfig(stateDir, user);
    }

    /** Builds the configuration from an already parsed HOCON tree (root containing {@code tierfs { ... }}). */
    public static TierFsConfig fromConfig(Path stateDir, Config user) {
        try {
            Config t = user.hasPath("tierfs") ? user.getConfig("tierfs") : ConfigFactory.empty();
            for (String key : user.root().keySet()) {
                if (!key.equals("tierfs") && !key.equals("pekko")) {
                    throw new ConfigException("unknown top-level config key '" + key + "' (expected 'tierfs')");
                }
            }
            checkKeys("tierfs", t.root(), TOP_KEYS);
            if (t.hasPath("meta")) {
                // The metadata module declares its settings (with defaults) in its reference.conf; only those exist.
                Config known = ConfigFactory.defaultReference();
                Set<String> metaKeys = known.hasPath("tierfs.meta") ? known.getConfig("tierfs.meta").root().keySet() : Set.of();
                checkKeys("tierfs.meta", t.getConfig("meta").root(), metaKeys);
            }
            if (t.hasPath("policy")) {
                checkKeys("tierfs.policy", t.getConfig("policy").root(), POLICY_KEYS);
                String pf = t.getString("policy.file");
                if (!Files.isReadable(Path.of(pf))) {
                    throw new ConfigException("tierfs.policy.file: cannot read '" + pf + "'");
                }
            }
            long chunk = t.hasPath("chunk-size") ? t.getBytes("chunk-size") : 4L << 20;
            Duration flush = t.hasPath("flush-interval") ? t.getDuration("flush-interval") : DEFAULT_FLUSH_INTERVAL;
            Duration mover = t.hasPath("mover-interval") ? t.getDuration("mover-interval") : Duration.ofMillis(200);
            List<TierSpec> tiers = t.hasPath("tiers") ? parseTiers(stateDir, t) : defaultTiers(stateDir);
            boolean single = DEFAULT_FUSE_SINGLE_THREADED;
            List<String> opts = List.of();
            if (t.hasPath("fuse")) {
                Config f = t.getConfig("fuse");
                checkKeys("tierfs.fuse", f.root(), FUSE_KEYS);
                if (f.hasPath("single-threaded")) {
                    single = f.getBoolean("single-threaded");
                }
                opts = f.hasPath("options") ? f.getStringList("options") : List.of();
            }
            return new TierFsConfig(stateDir, chunk, flush, mover, tiers, single, opts, user);
        } catch (BadValue | com.typesafe.config.ConfigException.WrongType | com.typesafe.config.ConfigException.Missing e) {
            throw new ConfigException("config: " + e.getMessage(), e);
        }
    }

    private static List<TierSpec> parseTiers(Path stateDir, Config t) {
        List<TierSpec> out = new ArrayList<>();
        List<? extends ConfigObject> list = t.getObjectList("tiers");
        for (int i = 0; i < list.size(); i++) {
            ConfigObject o = list.get(i);
            String where = "tierfs.tiers[" + i + "]";
            checkKeys(where, o, TIER_KEYS);
            Config c = o.toConfig();
            if (!c.hasPath("name") || !c.hasPath("kind")) {
                throw new ConfigException(where + ": 'name' and 'kind' are required");
            }
            String name = c.getString("name");
            TierKind kind;
            try {
                kind = TierKind.valueOf(c.getString("kind").toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": unknown kind '" + c.getString("kind") + "' (dram, pmem, ssd, hdd)");
            }
            Path path = c.hasPath("path") ? Path.of(c.getString("path")) : defaultPath(stateDir, name, kind);
            long cap = capacity(where, c, kind, path);
            double hi = c.hasPath("high-watermark") ? c.getDouble("high-watermark") : 0.90;
            double lo = c.hasPath("low-watermark") ? c.getDouble("low-watermark") : 0.70;
            out.add(new TierSpec(name, kind, path, cap, hi, lo));
        }
        return out;
    }

    private static long capacity(String where, Config c, TierKind kind, Path path) {
        if (!c.hasPath("capacity") || (c.getValue("capacity").valueType() == ConfigValueType.STRING
                && c.getString("capacity").equals("auto"))) {
            return autoCapacity(kind, path);
        }
        if (c.getValue("capacity").valueType() == ConfigValueType.NUMBER && c.getLong("capacity") < 0) {
            throw new ConfigException(where + ": capacity must not be negative, got " + c.getLong("capacity"));
        }
        try {
            long bytes = c.getBytes("capacity");
            if (bytes <= 0) {
                throw new ConfigException(where + ": capacity must be positive, got " + c.getValue("capacity").unwrapped());
            }
            return bytes;
        } catch (BadValue e) {
            throw new ConfigException(where + ": capacity '" + c.getValue("capacity").unwrapped()
                    + "' is not a size (e.g. 512MiB, 20GiB) or 'auto'");
        }
    }

    private static List<TierSpec> defaultTiers(Path stateDir) {
        List<TierSpec> out = new ArrayList<>();
        for (TierKind k : List.of(TierKind.DRAM, TierKind.SSD, TierKind.HDD)) {
            String name = k.name().toLowerCase(java.util.Locale.ROOT);
            Path p = defaultPath(stateDir, name, k);
            out.add(new TierSpec(name, k, p, autoCapacity(k, p), 0.90, 0.70));
        }
        return out;
    }

    private static Path defaultPath(Path stateDir, String name, TierKind kind) {
        if (kind == TierKind.DRAM) {
            // Lent memory lives on tmpfs so that it is off-heap, survives a daemon restart and is given back on delete.
            String id = Integer.toHexString(stateDir.toAbsolutePath().normalize().toString().hashCode());
            return Path.of("/dev/shm", "tierfs-" + id, name);
        }
        return stateDir.resolve("tiers").resolve(name);
    }

    /** DRAM: a fraction of MemAvailable; SSD: a quarter, HDD: a half of the free space under the tier's path. */
    static long autoCapacity(TierKind kind, Path path) {
        if (kind == TierKind.DRAM) {
            return Math.max(64L << 20, (long) (MemInfo.memAvailableBytes() * DEFAULT_DRAM_FRACTION));
        }
        long free = usableSpace(path);
        double share = kind == TierKind.HDD ? 0.5 : 0.25;
        return Math.max(64L << 20, (long) (free * share));
    }

    private static long usableSpace(Path path) {
        Path p = path.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        try {
            return p == null ? 0 : Files.getFileStore(p).getUsableSpace();
        } catch (java.io.IOException e) {
            throw new ConfigException("cannot read free space under " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Rejects any key of {@code obj} not in {@code allowed}, naming it as {@code where.key}. Public so that modules
     * with their own section (e.g. {@code tierfs.lend}) reject typos the same way.
     */
    public static void checkKeys(String where, ConfigObject obj, Set<String> allowed) {
        for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw new ConfigException("unknown config key '" + where + "." + e.getKey() + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    /**
     * The policy document to load at start ({@code tierfs.policy.file}); empty: the node's default policy (or the
     * one it persisted in its state directory).
     */
    public java.util.Optional<Path> policyFile() {
        return raw != null && raw.hasPath("tierfs.policy.file")
                ? java.util.Optional.of(Path.of(raw.getString("tierfs.policy.file"))) : java.util.Optional.empty();
    }

    public TierSpec tier(String name) {
        return tiers.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new ConfigException("unknown tier '" + name + "'"));
    }
}
