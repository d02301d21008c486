package io.tierfs.simulator.bench;

import io.tierfs.common.config.TierKind;
import io.tierfs.simulator.config.Baseline;
import io.tierfs.simulator.config.LenderJob;
import io.tierfs.simulator.config.SimConfig;
import io.tierfs.simulator.config.TierConfig;
import io.tierfs.simulator.device.DeviceDefaults;
import io.tierfs.simulator.engine.ProgressListener;
import io.tierfs.simulator.engine.Simulation;
import io.tierfs.simulator.report.Json;
import io.tierfs.simulator.report.RunResult;
import io.tierfs.simulator.trace.CsvTraceSource;
import io.tierfs.simulator.trace.TraceWriter;
import io.tierfs.simulator.workload.Request;
import io.tierfs.simulator.workload.RequestSource;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code tierfs bench sim}: how fast the simulator replays a trace. It writes a CSV trace of N requests (default one
 * million: Zipf-popular 1 MiB reads and writes over 20,000 files, made by our own generator), then times, in the
 * same run and on the same file: reading and parsing it only (the baseline), a two-tier SSD+HDD run with LRU
 * watermark demotion and promotion on read, and the full three-tier set (DRAM+SSD+HDD, flusher, demotion,
 * promotion, a memory recall). Each is run three times; the best is reported. Floor: 1,000,000 requests/s for
 * the two-tier run.
 */
public final class SimBench {
    public static final String USAGE = "tierfs bench sim [--json] [--requests N] [--trace FILE.csv]";
    public static final long FLOOR = 1_000_000L;

    private SimBench() {
    }

    /** One timed phase: best wall time over the repetitions, with the run's counts. */
    public record Phase(String name, long requests, long events, double seconds, double requestsPerSecond,
                        double eventsPerSecond, double fastestHitRatio) {
    }

    /** The benchmark's result. */
    public record Result(long requests, long traceBytes, Phase parseOnly, Phase twoTierLru, Phase threeTier,
                         long floorRequestsPerSecond, boolean meetsFloor, String java, int cpus) {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean json = false;
        long n = 1_000_000;
        Path trace = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--json" -> json = true;
                case "--requests" -> {
                    if (++i >= args.size()) {
                        return usage(err, "option --requests needs a value");
                    }
                    try {
                        n = Long.parseLong(args.get(i).replace("_", ""));
                    } catch (NumberFormatException e) {
                        return usage(err, "--requests needs an integer, got '" + args.get(i) + "'");
                    }
                    if (n <= 0) {
                        return usage(err, "--requests must be positive");
                    }
                }
                case "--trace" -> {
                    if (++i >= args.size()) {
                        return usage(err, "option --trace needs a value");
                    }
                    trace = Path.of(args.get(i));
                }
                default -> {
                    return usage(err, "unexpected argument '" + args.get(i) + "'");
                }
            }
        }
        if (trace != null && !Files.isRegularFile(trace)) {
            err.println("tierfs bench sim: trace " + trace + " does not exist");
            return 1;
        }
        Result r = measure(n, trace, 3);
        if (json) {
            out.print(Json.write(r));
        } else {
            print(r, out);
        }
        return 0;
    }

    private static int usage(PrintStream err, String msg) {
        err.println("tierfs bench sim: " + msg + " (usage: " + USAGE + ")");
        return 2;
    }

    /** Generates (unless given) the trace and times the three phases, {@code reps} times each. */
    public static Result measure(long n, Path given, int reps) {
        Path dir = null;
        try {
            Path trace = given;
            if (trace == null) {
                dir = Files.createTempDirectory("tierfs-bench-sim");
                trace = dir.resolve("bench.csv");
                TraceWriter.csv(new BenchWorkload(), trace, n);
            }
            long bytes = Files.size(trace);
            Phase parse = null;
            Phase two = null;
            Phase three = null;
            for (int i = 0; i < reps; i++) {
                parse = best(parse, parseOnly(trace));
                two = best(two, simulate("two-tier LRU", twoTier(), trace));
                three = best(three, simulate("three-tier", threeTier(), trace));
            }
            return new Result(two.requests(), bytes, parse, two, three, FLOOR, two.requestsPerSecond() >= FLOOR,
                    Runtime.version().toString(), Runtime.getRuntime().availableProcessors());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (var s = Files.list(dir)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static Phase best(Phase a, Phase b) {
        return a == null || b.seconds() < a.seconds() ? b : a;
    }

    private static Phase parseOnly(Path trace) {
        long t0 = System.nanoTime();
        long count = 0;
        long check = 0;
        Request r = new Request();
        try (RequestSource src = new CsvTraceSource(trace)) {
            while (src.next(r)) {
                count++;
                check += r.size;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (check < 0) {
            throw new IllegalStateException("impossible");
        }
        return new Phase("parse only", count, count, s, count / s, count / s, Double.NaN);
    }

    private static Phase simulate(String name, SimConfig cfg, Path trace) {
        long t0 = System.nanoTime();
        RunResult r;
        try (RequestSource src = new CsvTraceSource(trace)) {
            r = new Simulation(cfg, name).run(src, ProgressListener.NONE);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return new Phase(name, r.requests(), r.events(), s, r.requests() / s, r.events() / s, r.fastestHitRatio());
    }

    private static TierConfig tier(String name, TierKind kind, int units, long cap, boolean remote) {
        return new TierConfig(name, kind, units, cap, 0.9, 0.7, remote, DeviceDefaults.forKind(kind));
    }

    static SimConfig twoTier() {
        return config(List.of(tier("ssd", TierKind.SSD, 4, 8L << 30, false), tier("hdd", TierKind.HDD, 2, 1L << 44, true)),
                List.of());
    }

    static SimConfig threeTier() {
        return config(List.of(tier("dram", TierKind.DRAM, 4, 2L << 30, false), tier("ssd", TierKind.SSD, 4, 8L << 30, false),
                tier("hdd", TierKind.HDD, 2, 1L << 44, true)), List.of(new LenderJob(1, 10_000_000_000L, 30_000_000_000L, 1L << 30)));
    }

    private static SimConfig config(List<TierConfig> tiers, List<LenderJob> jobs) {
        return new SimConfig(1, tiers, DeviceDefaults.network(), 5_000_000_000L, 0, 65_536, io.tierfs.simulator.config.VictimSpec.LRU, "on-read", List.of(),
                jobs, null, Set.<Baseline>of());
    }

    private static void print(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "simulator benchmark: %,d requests, trace %,d bytes (Java %s, %d CPUs), best of 3%n%n",
                r.requests(), r.traceBytes(), r.java(), r.cpus());
        out.printf(Locale.ROOT, "%-14s %10s %16s %16s %12s%n", "PHASE", "SECONDS", "REQUESTS/S", "EVENTS/S", "HIT(fast)");
        for (Phase p : List.of(r.parseOnly(), r.twoTierLru(), r.threeTier())) {
            out.printf(Locale.ROOT, "%-14s %10.3f %,16.0f %,16.0f %12s%n", p.name(), p.seconds(), p.requestsPerSecond(),
                    p.eventsPerSecond(), Double.isNaN(p.fastestHitRatio()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * p.fastestHitRatio()));
        }
        out.printf(Locale.ROOT, "%ntwo-tier LRU vs parse only: %.2f of the parse rate; floor %,d requests/s: %s%n",
                r.twoTierLru().requestsPerSecond() / r.parseOnly().requestsPerSecond(), r.floorRequestsPerSecond(),
                r.meetsFloor() ? "met" : "NOT met");
    }

    /** For tests: the figures as a map. */
    static Map<String, Double> rates(Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("parse", r.parseOnly().requestsPerSecond());
        m.put("two", r.twoTierLru().requestsPerSecond());
        m.put("three", r.threeTier().requestsPerSecond());
        return m;
    }
}
