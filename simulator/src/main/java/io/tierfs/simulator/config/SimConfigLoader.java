package io.tierfs.simulator.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.tierfs.common.config.TierKind;
import io.tierfs.simulator.device.DeviceDefaults;
import io.tierfs.simulator.device.DeviceSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import io.tierfs.migration.policy.doc.OrderKind;
import java.util.Locale;
import java.util.Set;

/**
 * Reads sim.conf (HOCON, under {@code sim}) strictly: every key is known, sizes and durations are checked, tiers
 * are consistent. Defaults are in docs/simulator.md with their sources.
 */
public final class SimConfigLoader {
    private static final Set<String> ROOT = Set.of("seed", "tiers", "network", "flush-interval", "mover", "policy",
            "lenders", "workload", "baselines");
    private static final Set<String> TIER = Set.of("name", "kind", "units", "capacity-per-unit", "high-watermark",
            "low-watermark", "remote", "device");
    private static final Set<String> DEVICE = Set.of("read-bandwidth", "write-bandwidth", "latency", "concurrency",
            "seek");

    private SimConfigLoader() {
    }

    public static SimConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new SimConfigException("config file " + file + " does not exist");
        }
        try {
            return parse(ConfigFactory.parseFile(file.toFile()).resolve(), file.getFileName().toString());
        } catch (ConfigException e) {
            throw new SimConfigException(file + ": " + e.getMessage(), e);
        }
    }

    public static SimConfig parse(String hocon) {
        try {
            return parse(ConfigFactory.parseString(hocon).resolve(), "sim.conf");
        } catch (ConfigException e) {
            throw new SimConfigException("sim.conf: " + e.getMessage(), e);
        }
    }

    static SimConfig parse(Config root, String fileName) {
        Section top = new Section(root, "");
        top.allow(Set.of("sim"));
        Section s = top.section("sim");
        s.allow(ROOT);
        long seed = s.has("seed") ? s.positiveLong("seed", 1) : 1;
        List<TierConfig> tiers = tiers(s);
        Section net = s.section("network");
        DeviceSpec network = device(net, DeviceDefaults.network());
        long flush = s.nanos("flush-interval", 5_000_000_000L);
        if (flush == 0) {
            throw new SimConfigException("sim.flush-interval: must be positive");
        }
        Section mover = s.section("mover");
        mover.allow(Set.of("delay", "max-candidates"));
        long delay = mover.nanos("delay", 0L);
        int maxCand = mover.positiveInt("max-candidates", 65_536);
        Section pol = s.section("policy");
        pol.allow(Set.of("victim-order", "promotion", "half-life", "weight"));
        String orderName = pol.string("victim-order", "lru").toLowerCase(Locale.ROOT);
        OrderKind kind = OrderKind.byJsonName(orderName).orElseThrow(() -> new SimConfigException(
                "sim.policy.victim-order: unknown order '" + orderName + "' (known: " + OrderKind.known() + ")"));
        VictimSpec order = new VictimSpec(kind, pol.nanos("half-life", VictimSpec.DEFAULT_HALF_LIFE_MILLIS * 1_000_000L)
                / 1_000_000L, pol.has("weight") ? pol.string("weight", "") : null);
        order.compiledWeight(); // a bad expression is a config error now, not in the middle of a run
        String promotion = pol.string("promotion", "none").toLowerCase(Locale.ROOT);
        if (!promotion.equals("none") && !promotion.equals("on-read")) {
            throw new SimConfigException("sim.policy.promotion: unknown promotion '" + promotion + "' (known: none, on-read)");
        }
        SimConfig partial = new SimConfig(seed, tiers, network, flush, delay, maxCand, order, promotion, List.of(),
                List.of(), null, Set.of());
        Section lenders = s.section("lenders");
        lenders.allow(Set.of("schedule", "jobs"));
        List<LenderStep> steps = new ArrayList<>();
        List<LenderJob> jobs = new ArrayList<>();
        int lenderTier = partial.lenderTier();
        for (Section st : lenders.sections("schedule")) {
            st.allow(Set.of("at", "unit", "capacity"));
            int unit = unit(st, tiers, lenderTier);
            long cap = st.has("capacity") && st.string("capacity", "").trim().equals("0") ? 0 : st.bytes("capacity", null);
            steps.add(new LenderStep(st.nanos("at", null), unit, cap));
        }
        for (Section j : lenders.sections("jobs")) {
            j.allow(Set.of("unit", "start", "end", "memory"));
            int unit = unit(j, tiers, lenderTier);
            long start = j.nanos("start", null);
            long end = j.nanos("end", null);
            if (end <= start) {
                throw new SimConfigException(j.where() + ": end must be after start");
            }
            jobs.add(new LenderJob(unit, start, end, j.bytes("memory", null)));
        }
        WorkloadSpec workload = workload(s.section("workload"));
        Set<Baseline> baselines = EnumSet.noneOf(Baseline.class);
        for (String b : s.strings("baselines", List.of("hdd-only", "ssd-hdd", "belady"))) {
            baselines.add(Baseline.parse(b));
        }
        return new SimConfig(seed, tiers, network, flush, delay, maxCand, order, promotion, List.copyOf(steps),
                List.copyOf(jobs), workload, baselines);
    }

    private static int unit(Section st, List<TierConfig> tiers, int lenderTier) {
        if (lenderTier < 0) {
            throw new SimConfigException(st.where() + ": lenders need a DRAM tier");
        }
        if (!st.has("unit")) {
            throw new SimConfigException(st.name("unit") + ": required");
        }
        double u = st.number("unit", 0);
        int units = tiers.get(lenderTier).units();
        if (u != Math.rint(u) || u < 0 || u >= units) {
            throw new SimConfigException(st.name("unit") + ": the DRAM tier has units 0.." + (units - 1) + ", got " + st.string("unit", ""));
        }
        return (int) u;
    }

    private static List<TierConfig> tiers(Section s) {
        List<Section> list = s.sections("tiers");
        if (list.isEmpty()) {
            throw new SimConfigException("sim.tiers: at least one tier is required");
        }
        List<TierConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Section t : list) {
            t.allow(TIER);
            String name = t.string("name", null);
            if (!names.add(name)) {
                throw new SimConfigException(t.where() + ".name: duplicate tier name '" + name + "'");
            }
            TierKind kind;
            try {
                kind = TierKind.valueOf(t.string("kind", null).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SimConfigException(t.where() + ".kind: unknown kind '" + t.string("kind", null) + "' (known: dram, pmem, ssd, hdd)");
            }
            int units = t.positiveInt("units", 1);
            long cap = t.bytes("capacity-per-unit", null);
            double high = t.number("high-watermark", 0.90);
            double low = t.number("low-watermark", 0.70);
            if (!(low >= 0 && low < high && high <= 1.0)) {
                throw new SimConfigException("tier '" + name + "': need 0 <= low-watermark < high-watermark <= 1, got low="
                        + low + " high=" + high);
            }
            boolean remote = t.bool("remote", kind == TierKind.HDD);
            DeviceSpec dev = device(t.section("device"), DeviceDefaults.forKind(kind));
            out.add(new TierConfig(name, kind, units, cap, high, low, remote, dev));
        }
        if (!out.get(out.size() - 1).durable()) {
            throw new SimConfigException("sim.tiers: the last tier must be durable (ssd or hdd), got " + out.get(out.size() - 1).kind());
        }
        return List.copyOf(out);
    }

    private static DeviceSpec device(Section d, DeviceSpec dflt) {
        d.allow(DEVICE);
        return new DeviceSpec(d.bytes("read-bandwidth", dflt.readBytesPerSecond()),
                d.bytes("write-bandwidth", dflt.writeBytesPerSecond()), d.nanos("latency", dflt.latencyNanos()),
                d.positiveInt("concurrency", dflt.concurrency()), d.nanos("seek", dflt.seekNanos()));
    }

    private static WorkloadSpec workload(Section w) {
        String type = w.string("type", "checkpoint").toLowerCase(Locale.ROOT);
        switch (type) {
            case "checkpoint" -> {
                w.allow(Set.of("type", "ranks", "bytes-per-rank", "interval", "count", "block", "keep", "restart"));
                long interval = w.nanos("interval", 60_000_000_000L);
                if (interval == 0) {
                    throw new SimConfigException(w.name("interval") + ": must be positive");
                }
                return new WorkloadSpec.Checkpoint(w.positiveInt("ranks", 64), w.bytes("bytes-per-rank", 1L << 30),
                        interval, w.positiveInt("count", 5), w.bytes("block", 4L << 20), w.positiveInt("keep", 2),
                        w.bool("restart", true));
            }
            case "workflow" -> {
                w.allow(Set.of("type", "jobs", "files-per-job", "file-size", "block", "compute-time"));
                return new WorkloadSpec.Workflow(w.positiveInt("jobs", 8), w.positiveInt("files-per-job", 16),
                        w.bytes("file-size", 256L << 20), w.bytes("block", 4L << 20), w.nanos("compute-time", 10_000_000_000L));
            }
            case "zipf" -> {
                w.allow(Set.of("type", "files", "file-size", "reads", "exponent", "rate", "read-size", "ingest"));
                double exp = w.number("exponent", 0.9);
                double rate = w.number("rate", 1000);
                if (exp < 0 || rate <= 0) {
                    throw new SimConfigException(w.where() + ": exponent must be >= 0 and rate > 0");
                }
                return new WorkloadSpec.Zipf(w.positiveInt("files", 10_000), w.bytes("file-size", 16L << 20),
                        w.positiveLong("reads", 100_000), exp, rate, w.bytes("read-size", 1L << 20), w.bool("ingest", true));
            }
            case "trace" -> {
                w.allow(Set.of("type", "path", "format"));
                return new WorkloadSpec.Trace(Path.of(w.string("path", null)),
                        WorkloadSpec.TraceFormat.parse(w.string("format", "csv")));
            }
            default -> throw new SimConfigException(w.name("type") + ": unknown workload '" + type
                    + "' (known: checkpoint, workflow, zipf, trace)");
        }
    }
}
