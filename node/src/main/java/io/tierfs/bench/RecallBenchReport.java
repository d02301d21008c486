package io.tierfs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of a {@link RecallBench} run: per dirty fraction, how long the recall of the lent memory took against
 * the time a plain write of the same dirty bytes to the SSD directory took (the lower bound), and the floor verdict.
 */
public record RecallBenchReport(RecallBenchOptions options, Path ssdDir, String loadBefore, String loadAfter,
                                List<Row> rows) {
    /** A recall may take at most this many times its bound. */
    public static final double FLOOR = 1.5;

    /**
     * One dirty fraction: the recall (evacuation) time and what it did, and the bound: the seconds a plain
     * FileChannel write + force of {@code dirtyBytes} into the SSD directory took (the lower of one run before and
     * one after the recall).
     */
    public record Row(int dirtyPercent, long bytes, long dirtyBytes, double recallSeconds, double baselineSeconds,
                      int chunks, long droppedCleanBytes, long flushedBytes) {

        /** recall / bound; NaN when nothing was dirty (the bound is 0). */
        public double ratio() {
            return dirtyBytes == 0 || baselineSeconds <= 0 ? Double.NaN : recallSeconds / baselineSeconds;
        }

        /** "yes", "NO", or "n/a" when nothing was dirty. */
        public String floorVerdict() {
            if (Double.isNaN(ratio())) {
                return "n/a";
            }
            return ratio() <= FLOOR ? "yes" : "NO";
        }

        public double recallMiBps() {
            return recallSeconds <= 0 ? 0 : bytes / 1048576.0 / recallSeconds;
        }
    }

    /** True if every fraction with dirty bytes met the floor. */
    public boolean floorMet() {
        return rows.stream().noneMatch(r -> r.floorVerdict().equals("NO"));
    }

    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "recall of lent memory: %d MiB in %d KiB chunks (%d files of %d MiB), "
                        + "lender = ChunkServer on 127.0.0.1 over %s, SSD tier = %s%n", options.sizeBytes() >> 20,
                options.chunkBytes() >> 10, options.fileCount(), options.fileBytes() >> 20, options.lenderDir(),
                ssdDir));
        sb.append(String.format(Locale.ROOT, "bound = plain FileChannel write + force of the dirty bytes into the SSD "
                + "directory, same run; floor: recall <= %.1fx bound; %d recall movers%n", FLOOR, options.movers()));
        sb.append(String.format(Locale.ROOT, "%-7s %10s %10s %10s %10s %9s %7s %7s%n", "dirty", "MiB", "dirty MiB",
                "recall s", "bound s", "ratio", "floor", "chunks"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-7s %10d %10d %10.3f %10s %9s %7s %7d%n", r.dirtyPercent() + "%",
                    r.bytes() >> 20, r.dirtyBytes() >> 20, r.recallSeconds(),
                    r.dirtyBytes() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", r.baselineSeconds()),
                    Double.isNaN(r.ratio()) ? "-" : String.format(Locale.ROOT, "%.2fx", r.ratio()), r.floorVerdict(),
                    r.chunks()));
        }
        sb.append(String.format(Locale.ROOT, "load average before: %s; after: %s%n", loadBefore, loadAfter));
        return sb.toString();
    }

    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("sizeBytes", options.sizeBytes());
        root.put("chunkBytes", options.chunkBytes());
        root.put("files", options.fileCount());
        root.put("fileBytes", options.fileBytes());
        root.put("ssdDir", ssdDir.toString());
        root.put("lenderDir", options.lenderDir().toString());
        root.put("movers", options.movers());
        root.put("floor", FLOOR);
        root.put("floorMet", floorMet());
        root.put("loadBefore", loadBefore);
        root.put("loadAfter", loadAfter);
        ArrayNode rs = root.putArray("fractions");
        for (Row r : rows) {
            ObjectNode n = rs.addObject();
            n.put("dirtyPercent", r.dirtyPercent());
            n.put("bytes", r.bytes());
            n.put("dirtyBytes", r.dirtyBytes());
            n.put("recallSeconds", BenchJson.round(r.recallSeconds()));
            n.put("baselineSeconds", BenchJson.round(r.baselineSeconds()));
            if (Double.isNaN(r.ratio())) {
                n.putNull("ratio");
            } else {
                n.put("ratio", BenchJson.round(r.ratio()));
            }
            n.put("floor", r.floorVerdict());
            n.put("chunks", r.chunks());
            n.put("droppedCleanBytes", r.droppedCleanBytes());
            n.put("flushedBytes", r.flushedBytes());
        }
        return BenchJson.render(root);
    }
}
