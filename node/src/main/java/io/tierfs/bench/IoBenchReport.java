package io.tierfs.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The outcome of an {@link IoBench} run, with its two renderings: a fixed-width table for people and one JSON
 * object for scripts (hand-written so that the benchmark needs no JSON library).
 */
public record IoBenchReport(Path target, Path baseline, long sizeBytes, int blockBytes, int files, int rounds,
                            IoResult tierfs, IoResult tmpfs) {

    /** One row: a metric, how to read it from a result, and its unit. */
    public record Metric(String key, String label, ToDoubleFunction<IoResult> value) {
    }

    public static final List<Metric> METRICS = List.of(
            new Metric("seq_write_MBps", "seq write (MB/s, no fsync)", IoResult::writeMBps),
            new Metric("seq_write_fsync_MBps", "seq write + fsync (MB/s)", IoResult::writeWithFsyncMBps),
            new Metric("seq_read_MBps", "seq read (MB/s, warm)", IoResult::readMBps),
            new Metric("seq_read_cold_MBps", "seq read (MB/s, cold)", IoResult::coldReadMBps),
            new Metric("create_ops", "create (ops/s)", IoResult::createPerSec),
            new Metric("stat_ops", "stat (ops/s)", IoResult::statPerSec),
            new Metric("unlink_ops", "unlink (ops/s)", IoResult::unlinkPerSec));

    /** TierFS value divided by the tmpfs value (0 when the baseline measured 0). */
    public double ratio(Metric m) {
        double base = m.value().applyAsDouble(tmpfs);
        return base == 0 ? 0 : m.value().applyAsDouble(tierfs) / base;
    }

    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "TierFS: %s%ntmpfs:  %s%nsize %d bytes in %d-byte blocks, %d files, "
                + "median of %d interleaved rounds%n", target, baseline, sizeBytes, blockBytes, files, rounds));
        sb.append(String.format(Locale.ROOT, "%-28s %14s %14s %8s%n", "metric", "TierFS", "tmpfs", "ratio"));
        for (Metric m : METRICS) {
            sb.append(String.format(Locale.ROOT, "%-28s %14.1f %14.1f %8.3f%n", m.label(),
                    m.value().applyAsDouble(tierfs), m.value().applyAsDouble(tmpfs), ratio(m)));
        }
        return sb.toString();
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"target\":").append(quote(target.toString()));
        sb.append(",\"baseline\":").append(quote(baseline.toString()));
        sb.append(",\"sizeBytes\":").append(sizeBytes);
        sb.append(",\"blockBytes\":").append(blockBytes);
        sb.append(",\"files\":").append(files);
        sb.append(",\"rounds\":").append(rounds);
        sb.append(",\"metrics\":{");
        for (int i = 0; i < METRICS.size(); i++) {
            Metric m = METRICS.get(i);
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(m.key())).append(":{\"tierfs\":").append(num(m.value().applyAsDouble(tierfs)))
                    .append(",\"tmpfs\":").append(num(m.value().applyAsDouble(tmpfs)))
                    .append(",\"ratio\":").append(num(ratio(m))).append('}');
        }
        return sb.append("}}").toString();
    }

    private static String num(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
