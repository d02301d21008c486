package io.tierfs.borrow;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.tierfs.common.config.ConfigException;
import io.tierfs.common.config.TierFsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * What a node's lender agent may lend, read from {@code tierfs.lend} (docs/memory-borrow.md has the table).
 *
 * <pre>
 * tierfs.lend {
 *   enabled = true                 # false: this node offers nothing
 *   reserve = "25%"                # kept for the node's own jobs: a size (2GiB) or a share of MemTotal ("25%")
 *   cap = none                     # at most this much is ever lent; none (or 0) = no cap
 *   hysteresis = 256MiB            # after pressure, offer again only above reserve + hysteresis
 *   poll-interval = 1s             # how often MemAvailable is read
 *   dir = "/dev/shm/tierfs-lend-NODE"   # where the lent slabs live (tmpfs: off-heap, given back on delete)
 *   meminfo = "/proc/meminfo"      # the MemAvailable source (tests point it at a file they write)
 *   recall-deadline = 30s          # how long a borrower has to give memory back on pressure
 *   lease-size = 256MiB            # granularity of a lease
 *   replicas = 0                   # 1: dirty DRAM chunks get a second copy on another lender
 *   recall-movers = 4              # concurrent chunk moves when a borrower empties a recalled lender
 * }
 * </pre>
 *
 * @param capBytes     0 means no cap (see {@link #effectiveCap()})
 * @param recallMovers how many chunks a borrower moves at once while it empties a recalled lender (the data-plane
 *                     read of one overlaps the force of another, and their layout switches share durable commits)
 */
public record LendSettings(boolean enabled, Reserve reserve, long capBytes, long hysteresisBytes, Duration pollInterval,
                           Path dir, Path meminfo, Duration recallDeadline, long leaseSizeBytes, int replicas,
                           int recallMovers) {

    public static final String PATH = "tierfs.lend";
    public static final Reserve DEFAULT_RESERVE = new Reserve.OfTotal(0.25);
    public static final long DEFAULT_CAP = 0;
    public static final long DEFAULT_HYSTERESIS = 256L << 20;
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    public static final Path DEFAULT_MEMINFO = MeminfoFile.PROC_MEMINFO;
    public static final Duration DEFAULT_RECALL_DEADLINE = Duration.ofSeconds(30);
    public static final long DEFAULT_LEASE_SIZE = 256L << 20;
    public static final int DEFAULT_REPLICAS = 0;
    public static final int DEFAULT_RECALL_MOVERS = 4;
    /** More movers than this only add threads: the commits they share and the data plane's connections saturate. */
    public static final int MAX_RECALL_MOVERS = 64;

    private static final Set<String> KEYS = Set.of("enabled", "reserve", "cap", "hysteresis", "poll-interval", "dir",
            "meminfo", "recall-deadline", "lease-size", "replicas", "recall-movers");

    public LendSettings {
        if (reserve == null) {
            throw new ConfigException(PATH + ".reserve is required");
        }
        requireNonNegative("cap", capBytes);
        requireNonNegative("hysteresis", hysteresisBytes);
        requirePositive("poll-interval", pollInterval);
        requirePositive("recall-deadline", recallDeadline);
        if (leaseSizeBytes <= 0) {
            throw new ConfigException(PATH + ".lease-size must be positive, got " + leaseSizeBytes);
        }
        if (replicas != 0 && replicas != 1) {
            throw new ConfigException(PATH + ".replicas must be 0 or 1, got " + replicas);
        }
        if (dir == null || meminfo == null) {
            throw new ConfigException(PATH + ".dir and " + PATH + ".meminfo are required");
        }
        if (recallMovers < 1 || recallMovers > MAX_RECALL_MOVERS) {
            throw new ConfigException(PATH + ".recall-movers must be between 1 and " + MAX_RECALL_MOVERS + ", got "
                    + recallMovers);
        }
    }

    /** As the canonical constructor, with the default {@code recall-movers}. */
    public LendSettings(boolean enabled, Reserve reserve, long capBytes, long hysteresisBytes, Duration pollInterval,
                        Path dir, Path meminfo, Duration recallDeadline, long leaseSizeBytes, int replicas) {
        this(enabled, reserve, capBytes, hysteresisBytes, pollInterval, dir, meminfo, recallDeadline, leaseSizeBytes,
                replicas, DEFAULT_RECALL_MOVERS);
    }

    /** The defaults for node {@code nodeName}. */
    public static LendSettings defaults(String nodeName) {
        return fromConfig(ConfigFactory.empty(), nodeName);
    }

    /**
     * Reads {@code tierfs.lend} from {@code c} (a root config, as given to {@link TierFsConfig#fromConfig}); absent
     * keys take their defaults.
     *
     * @throws ConfigException one line naming the key, for an unknown key, a wrong type, a size that is not one, a
     *                         negative value or a value out of range
     */
    public static LendSettings fromConfig(Config c, String nodeName) {
        if (nodeName == null || nodeName.isBlank() || nodeName.contains("/") || nodeName.equals("..")) {
            throw new ConfigException("lender node name must be a non-empty name without '/', got '" + nodeName + "'");
        }
        if (c.hasPath(PATH) && c.getValue(PATH).valueType() != ConfigValueType.OBJECT) {
            throw new ConfigException(PATH + " must be an object { ... }, got " + c.getValue(PATH).valueType());
        }
        Config l = c.hasPath(PATH) ? c.getConfig(PATH) : ConfigFactory.empty();
        TierFsConfig.checkKeys(PATH, l.root(), KEYS);
        try {
            boolean enabled = !l.hasPath("enabled") || bool(l, "enabled");
            Reserve reserve = l.hasPath("reserve") ? reserve(l) : DEFAULT_RESERVE;
            long cap = cap(l);
            long hysteresis = l.hasPath("hysteresis") ? size(l, "hysteresis") : DEFAULT_HYSTERESIS;
            Duration poll = l.hasPath("poll-interval") ? duration(l, "poll-interval") : DEFAULT_POLL_INTERVAL;
            Path dir = l.hasPath("dir") ? path(l, "dir") : Path.of("/dev/shm", "tierfs-lend-" + nodeName);
            Path meminfo = l.hasPath("meminfo") ? path(l, "meminfo") : DEFAULT_MEMINFO;
            Duration deadline = l.hasPath("recall-deadline") ? duration(l, "recall-deadline") : DEFAULT_RECALL_DEADLINE;
            long lease = l.hasPath("lease-size") ? size(l, "lease-size") : DEFAULT_LEASE_SIZE;
            int replicas = l.hasPath("replicas") ? integer(l, "replicas") : DEFAULT_REPLICAS;
            int movers = l.hasPath("recall-movers") ? integer(l, "recall-movers") : DEFAULT_RECALL_MOVERS;
            return new LendSettings(enabled, reserve, cap, hysteresis, poll, dir, meminfo, deadline, lease, replicas,
                    movers);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(PATH + ": " + e.getMessage(), e);
        }
    }

    /** The cap as a number to compare with: {@link Long#MAX_VALUE} when there is none. */
    public long effectiveCap() {
        return capBytes == 0 ? Long.MAX_VALUE : capBytes;
    }

    /** The reserve in bytes on a machine with {@code memTotalBytes}. */
    public long reserveBytes(long memTotalBytes) {
        return reserve.bytes(memTotalBytes);
    }

    private static Reserve reserve(Config l) {
        ConfigValue v = l.getValue("reserve");
        if (v.valueType() == ConfigValueType.STRING && l.getString("reserve").strip().endsWith("%")) {
            String s = l.getString("reserve").strip();
            double pct;
            try {
                pct = Double.parseDouble(s.substring(0, s.length() - 1).strip());
            } catch (NumberFormatException e) {
                throw new ConfigException(PATH + ".reserve: '" + s + "' is not a percentage (e.g. \"25%\") or a size");
            }
            if (!(pct >= 0 && pct <= 100)) {
                throw new ConfigException(PATH + ".reserve must be between 0% and 100%, got '" + s + "'");
            }
            return new Reserve.OfTotal(pct / 100);
        }
        return new Reserve.Fixed(size(l, "reserve"));
    }

    private static long cap(Config l) {
        if (!l.hasPath("cap")) {
            return DEFAULT_CAP;
        }
        ConfigValue v = l.getValue("cap");
        if (v.valueType() == ConfigValueType.STRING && l.getString("cap").strip().equalsIgnoreCase("none")) {
            return 0;
        }
        return size(l, "cap");
    }

    /** A size ("512m", "2g", "256MiB", a plain number of bytes); negative or non-size values are refused. */
    private static long size(Config l, String key) {
        ConfigValue v = l.getValue(key);
        String shown = String.valueOf(v.unwrapped());
        if (v.valueType() != ConfigValueType.NUMBER && v.valueType() != ConfigValueType.STRING) {
            throw new ConfigException(PATH + "." + key + " must be a size (e.g. 512m, 2g, 256MiB), got " + v.valueType());
        }
        if (shown.strip().startsWith("-")) {
            throw new ConfigException(PATH + "." + key + " must not be negative, got " + shown.strip());
        }
        try {
            return l.getBytes(key);
        } catch (com.typesafe.config.ConfigException.BadValue | com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(PATH + "." + key + ": '" + shown + "' is not a size (e.g. 512m, 2g, 256MiB)");
        }
    }

    private static Duration duration(Config l, String key) {
        String shown = String.valueOf(l.getValue(key).unwrapped());
        try {
            return l.getDuration(key);
        } catch (com.typesafe.config.ConfigException.BadValue | com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(PATH + "." + key + ": '" + shown + "' is not a duration (e.g. 500ms, 30s)");
        }
    }

    private static boolean bool(Config l, String key) {
        try {
            return l.getBoolean(key);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(PATH + "." + key + " must be true or false, got '" + l.getValue(key).unwrapped() + "'");
        }
    }

    private static int integer(Config l, String key) {
        try {
            return l.getInt(key);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(PATH + "." + key + " must be a whole number, got '" + l.getValue(key).unwrapped() + "'");
        }
    }

    private static Path path(Config l, String key) {
        if (l.getValue(key).valueType() != ConfigValueType.STRING) {
            throw new ConfigException(PATH + "." + key + " must be a path, got " + l.getValue(key).valueType());
        }
        String s = l.getString(key);
        if (s.isBlank()) {
            throw new ConfigException(PATH + "." + key + " must not be empty");
        }
        return Path.of(s);
    }

    private static void requireNonNegative(String key, long v) {
        if (v < 0) {
            throw new ConfigException(PATH + "." + key + " must not be negative, got " + v);
        }
    }

    private static void requirePositive(String key, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigException(PATH + "." + key + " must be positive, got " + d);
        }
    }
}
