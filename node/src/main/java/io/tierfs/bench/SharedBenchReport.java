package io.tierfs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The outcome of a {@link SharedBench} run: aggregate bandwidth of every run of a layout (two per round, see
 * {@link SharedBench#passesOfRound}), and per layout the medians over the rounds. A layout's bandwidth in a round is
 * the mean of its runs in that round; a shared layout's ratio is the median of its per-round ratios to
 * file-per-process (the runs compared are minutes apart, not the whole run).
 */
public record SharedBenchReport(SharedBenchOptions options, List<Row> rows) {

    /** One layout's aggregate write and read bandwidth (MiB/s) in one round, and the seconds each phase took. */
    public record Row(int round, SharedBench.Layout layout, double writeMiBps, double readMiBps, double writeSeconds,
                      double readSeconds) {
    }

    public SharedBenchReport {
        rows = List.copyOf(rows);
    }

    /** The rounds measured (1 to n). */
    public int rounds() {
        return rows.stream().mapToInt(Row::round).max().orElse(0);
    }

    /** The mean of {@code f} over {@code layout}'s runs in {@code round}. */
    public double inRound(int round, SharedBench.Layout layout, ToDoubleFunction<Row> f) {
        return rows.stream().filter(r -> r.round() == round && r.layout() == layout).mapToDouble(f).average()
                .orElseThrow(() -> new IllegalArgumentException("no run of " + layout + " in round " + round));
    }

    /** Median write bandwidth of {@code layout} over the rounds. */
    public double writeMiBps(SharedBench.Layout layout) {
        return median(layout, Row::writeMiBps);
    }

    public double readMiBps(SharedBench.Layout layout) {
        return median(layout, Row::readMiBps);
    }

    /** Median over the rounds of {@code layout}'s write bandwidth over file-per-process's in the same round. */
    public double writeRatio(SharedBench.Layout layout) {
        return medianRatio(layout, Row::writeMiBps);
    }

    public double readRatio(SharedBench.Layout layout) {
        return medianRatio(layout, Row::readMiBps);
    }

    private double median(SharedBench.Layout layout, ToDoubleFunction<Row> f) {
        double[] perRound = new double[rounds()];
        for (int i = 0; i < perRound.length; i++) {
            perRound[i] = inRound(i + 1, layout, f);
        }
        return median(perRound);
    }

    private double medianRatio(SharedBench.Layout layout, ToDoubleFunction<Row> f) {
        double[] ratios = new double[rounds()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = ratio(i + 1, layout, f);
        }
        return median(ratios);
    }

    private double ratio(int round, SharedBench.Layout layout, ToDoubleFunction<Row> f) {
        double base = inRound(round, SharedBench.Layout.FILE_PER_PROCESS, f);
        return base == 0 ? 0 : inRound(round, layout, f) / base;
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return 0;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "shared file vs file-per-process: %d processes on %d mount(s) %s, "
                        + "%d MiB each, %d KiB transfers%s; reads cold, every byte checked; %d round(s) after a "
                        + "warm-up of %d MiB per process%n", options.procs(), options.mounts().size(),
                options.mounts(), options.bytesPerProc() >> 20, options.transfer() >> 10,
                options.fsync() ? ", fsync before close" : "", rounds(), options.warmupBytesPerProc() >> 20));
        String format = "%-6s %-18s %12s %12s %12s %12s%n";
        String numbers = "%-6s %-18s %12.1f %12.1f %12.3f %12.3f%n";
        sb.append(String.format(Locale.ROOT, format, "round", "layout", "write MiB/s", "read MiB/s", "write ratio",
                "read ratio"));
        // every run in the order it ran; the ratios are the round's (the means of both runs of each layout)
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, numbers, r.round(), r.layout().label, r.writeMiBps(), r.readMiBps(),
                    ratio(r.round(), r.layout(), Row::writeMiBps), ratio(r.round(), r.layout(), Row::readMiBps)));
        }
        for (SharedBench.Layout l : SharedBench.Layout.values()) {
            sb.append(String.format(Locale.ROOT, numbers, "median", l.label, writeMiBps(l), readMiBps(l),
                    writeRatio(l), readRatio(l)));
        }
        sb.append(String.format(Locale.ROOT, "floor: shared at least %.2f of file-per-process (median ratios)%n",
                SharedBench.FLOOR));
        return sb.toString();
    }

    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("procs", options.procs());
        root.put("mounts", options.mounts().size());
        root.put("bytesPerProc", options.bytesPerProc());
        root.put("transferBytes", options.transfer());
        root.put("fsync", options.fsync());
        root.put("rounds", rounds());
        root.put("warmupBytesPerProc", options.warmupBytesPerProc());
        root.put("floor", SharedBench.FLOOR);
        ObjectNode layouts = root.putObject("layouts");
        for (SharedBench.Layout l : SharedBench.Layout.values()) {
            ObjectNode n = layouts.putObject(l.label);
            n.put("writeMiBps", BenchJson.round(writeMiBps(l)));
            n.put("readMiBps", BenchJson.round(readMiBps(l)));
            n.put("writeRatio", BenchJson.round(writeRatio(l)));
            n.put("readRatio", BenchJson.round(readRatio(l)));
            ArrayNode perRound = n.putArray("rounds");
            for (Row r : rows) {
                if (r.layout() == l) {
                    ObjectNode x = perRound.addObject();
                    x.put("round", r.round());
                    x.put("writeMiBps", BenchJson.round(r.writeMiBps()));
                    x.put("readMiBps", BenchJson.round(r.readMiBps()));
                    x.put("writeSeconds", BenchJson.round(r.writeSeconds()));
                    x.put("readSeconds", BenchJson.round(r.readSeconds()));
                    x.put("writeRatio", BenchJson.round(ratio(r.round(), l, Row::writeMiBps)));
                    x.put("readRatio", BenchJson.round(ratio(r.round(), l, Row::readMiBps)));
                }
            }
        }
        return BenchJson.render(root);
    }
}
