package io.tierfs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/** The outcome of a {@link SharedBench} run: aggregate bandwidth per layout and the shared/file-per-process ratios. */
public record SharedBenchReport(SharedBenchOptions options, List<Row> rows) {

    /** One layout's aggregate write and read bandwidth (MiB/s) and the seconds each phase took. */
    public record Row(SharedBench.Layout layout, double writeMiBps, double readMiBps, double writeSeconds,
                      double readSeconds) {
    }

    public SharedBenchReport {
        rows = List.copyOf(rows);
    }

    public Row row(SharedBench.Layout layout) {
        return rows.stream().filter(r -> r.layout() == layout).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no row for " + layout));
    }

    /** Write bandwidth of {@code layout} over file-per-process. */
    public double writeRatio(SharedBench.Layout layout) {
        double base = row(SharedBench.Layout.FILE_PER_PROCESS).writeMiBps();
        return base == 0 ? 0 : row(layout).writeMiBps() / base;
    }

    public double readRatio(SharedBench.Layout layout) {
        double base = row(SharedBench.Layout.FILE_PER_PROCESS).readMiBps();
        return base == 0 ? 0 : row(layout).readMiBps() / base;
    }

    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "shared file vs file-per-process: %d processes on %d mount(s) %s, "
                        + "%d MiB each, %d KiB transfers%s; reads cold, every byte checked%n", options.procs(),
                options.mounts().size(), options.mounts(), options.bytesPerProc() >> 20, options.transfer() >> 10,
                options.fsync() ? ", fsync before close" : ""));
        sb.append(String.format(Locale.ROOT, "%-18s %12s %12s %12s %12s%n", "layout", "write MiB/s", "read MiB/s",
                "write ratio", "read ratio"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-18s %12.1f %12.1f %12.3f %12.3f%n", r.layout().label,
                    r.writeMiBps(), r.readMiBps(), writeRatio(r.layout()), readRatio(r.layout())));
        }
        sb.append(String.format(Locale.ROOT, "floor: shared at least %.2f of file-per-process (ratios above)%n",
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
        root.put("floor", SharedBench.FLOOR);
        ObjectNode layouts = root.putObject("layouts");
        for (Row r : rows) {
            ObjectNode n = layouts.putObject(r.layout().label);
            n.put("writeMiBps", BenchJson.round(r.writeMiBps()));
            n.put("readMiBps", BenchJson.round(r.readMiBps()));
            n.put("writeSeconds", BenchJson.round(r.writeSeconds()));
            n.put("readSeconds", BenchJson.round(r.readSeconds()));
            n.put("writeRatio", BenchJson.round(writeRatio(r.layout())));
            n.put("readRatio", BenchJson.round(readRatio(r.layout())));
        }
        return BenchJson.render(root);
    }
}
