package io.tierfs.simulator.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report's figures, computed from a {@link SimReport}. */
public final class Figures {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private Figures() {
    }

    public static List<Figure> of(SimReport r) {
        List<Figure> out = new ArrayList<>();
        out.add(hitRatio(r));
        out.add(perRun(r, "io-time", "I/O time per run", "s", List.of("makespan", "sum of job I/O times"),
                x -> new double[]{x.makespanNanos() / 1e9, x.totalJobIoNanos() / 1e9}));
        out.add(perRun(r, "bandwidth", "Application bandwidth (job bytes over job I/O time)", "GiB/s", List.of("bandwidth"),
                x -> new double[]{x.bandwidth() / GIB}));
        out.add(perRun(r, "migration", "Data moved between tiers", "GiB", List.of("down", "up", "dropped (clean DRAM)", "flushed"),
                x -> new double[]{x.migrationDownBytes() / GIB, x.migrationUpBytes() / GIB, x.droppedBytes() / GIB,
                        x.flushedBytes() / GIB}));
        out.add(perTier(r, "tier-bytes", "Bytes per tier", "GiB", List.of("app read", "app written", "migration read",
                "migration written"), t -> new double[]{t.readBytes() / GIB, t.writeBytes() / GIB,
                t.migrationReadBytes() / GIB, t.migrationWriteBytes() / GIB}));
        out.add(perTier(r, "tier-busy", "Device busy time per tier (mean per unit)", "s", List.of("busy"),
                t -> new double[]{t.busyNanos() / 1e9}));
        out.add(jobs(r));
        out.add(recalls(r));
        out.add(comparison(r));
        return out;
    }

    private static Figure hitRatio(SimReport r) {
        List<String> cats = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        for (RunResult x : r.runs()) {
            for (TierResult t : x.tiers()) {
                cats.add(x.name() + ": " + t.name());
                vals.add(new double[]{t.hitRatioBytes(), t.hitRatioRequests()});
            }
        }
        if (r.belady() != null) {
            cats.add("belady: " + r.main().tiers().get(0).name());
            vals.add(new double[]{r.belady().hitRatioBytes(), r.belady().hitRatioRequests()});
        }
        return new Figure("hit-ratio", "Share of reads served by each tier", "fraction", List.of("bytes", "requests"),
                cats, vals);
    }

    private static Figure perRun(SimReport r, String name, String title, String unit, List<String> series,
                                 java.util.function.Function<RunResult, double[]> f) {
        List<String> cats = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        for (RunResult x : r.runs()) {
            cats.add(x.name());
            vals.add(f.apply(x));
        }
        return new Figure(name, title, unit, series, cats, vals);
    }

    private static Figure perTier(SimReport r, String name, String title, String unit, List<String> series,
                                  java.util.function.Function<TierResult, double[]> f) {
        List<String> cats = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        for (RunResult x : r.runs()) {
            for (TierResult t : x.tiers()) {
                cats.add(x.name() + ": " + t.name());
                vals.add(f.apply(t));
            }
        }
        return new Figure(name, title, unit, series, cats, vals);
    }

    private static Figure jobs(SimReport r) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        List<String> series = new ArrayList<>();
        for (int i = 0; i < r.runs().size(); i++) {
            series.add(r.runs().get(i).name());
        }
        for (int i = 0; i < r.runs().size(); i++) {
            for (JobResult j : r.runs().get(i).jobs()) {
                rows.computeIfAbsent(j.name(), k -> new double[series.size()])[i] = j.ioTimeNanos() / 1e9;
            }
        }
        return new Figure("job-io-time", "I/O time per job", "s", series, new ArrayList<>(rows.keySet()),
                new ArrayList<>(rows.values()));
    }

    private static Figure recalls(SimReport r) {
        List<String> cats = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        for (RecallResult x : r.main().recalls()) {
            cats.add(String.format(java.util.Locale.ROOT, "t=%.1fs lender %d (%s)", x.atNanos() / 1e9, x.unit(), x.cause()));
            vals.add(new double[]{x.durationNanos() / 1e6, x.bytesToFree() / GIB});
        }
        return new Figure("recall-times", "Memory recalls: time to give the memory back", "ms | GiB",
                List.of("recall time (ms)", "to free (GiB)"), cats, vals);
    }

    private static Figure comparison(SimReport r) {
        List<String> cats = new ArrayList<>();
        List<double[]> vals = new ArrayList<>();
        for (int i = 1; i < r.runs().size(); i++) {
            RunResult b = r.runs().get(i);
            double hit = b.fastestHitRatio() == 0 ? Double.NaN : r.main().fastestHitRatio() / b.fastestHitRatio();
            cats.add("tiered vs " + b.name());
            vals.add(new double[]{r.speedupOver(b), r.bandwidthRatio(b), hit});
        }
        if (r.belady() != null) {
            cats.add("tiered vs belady");
            double opt = r.belady().hitRatioBytes();
            vals.add(new double[]{Double.NaN, Double.NaN, opt == 0 ? Double.NaN : r.main().fastestHitRatio() / opt});
        }
        return new Figure("comparison", "Tiered against the baselines", "ratio",
                List.of("job I/O time speed-up", "bandwidth ratio", "fastest-tier hit ratio ratio"), cats, vals);
    }
}
