package io.tierfs.simulator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The end-of-run summary as plain text: one table of runs and tiers, then the comparisons. */
public final class SummaryTable {
    private SummaryTable() {
    }

    public static String text(SimReport r) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"RUN", "TIER", "HIT(bytes)", "READ", "WRITTEN", "MIG DOWN/UP", "BUSY", "JOB I/O", "BANDWIDTH"});
        for (RunResult x : r.runs()) {
            boolean first = true;
            for (TierResult t : x.tiers()) {
                rows.add(new String[]{first ? x.name() : "", t.name(), pct(t.hitRatioBytes()), bytes(t.readBytes()),
                        bytes(t.writeBytes()), first ? bytes(x.migrationDownBytes()) + "/" + bytes(x.migrationUpBytes()) : "",
                        secs(t.busyNanos()), first ? secs(x.totalJobIoNanos()) : "", first ? bytes((long) x.bandwidth()) + "/s" : ""});
                first = false;
            }
        }
        StringBuilder sb = new StringBuilder();
        table(sb, rows);
        RunResult m = r.main();
        sb.append(String.format(Locale.ROOT, "%n%s: %,d requests (%,d ignored), %,d events, virtual time %s, wall %.2f s%n",
                m.name(), m.requests(), m.ignoredRequests(), m.events(), secs(m.virtualEndNanos()), m.wallNanos() / 1e9));
        if (m.noSpace() > 0) {
            sb.append(String.format(Locale.ROOT, "%,d writes found no room on any tier (ENOSPC)%n", m.noSpace()));
        }
        for (int i = 1; i < r.runs().size(); i++) {
            RunResult b = r.runs().get(i);
            sb.append(String.format(Locale.ROOT, "vs %-9s job I/O time %.2fx shorter, bandwidth %.2fx%n", b.name(),
                    r.speedupOver(b), r.bandwidthRatio(b)));
        }
        if (r.belady() != null) {
            sb.append(String.format(Locale.ROOT, "belady (offline optimum) %s hit ratio %s; tiered reaches %.2f of it%n",
                    m.tiers().get(0).name(), pct(r.belady().hitRatioBytes()),
                    r.belady().hitRatioBytes() == 0 ? 0 : m.fastestHitRatio() / r.belady().hitRatioBytes()));
        }
        for (RecallResult c : m.recalls()) {
            sb.append(String.format(Locale.ROOT, "recall at %s lender %d (%s): %s to free, %s dropped, %s moved, %s flushed, took %s%s%n",
                    secs(c.atNanos()), c.unit(), c.cause(), bytes(c.bytesToFree()), bytes(c.droppedBytes()),
                    bytes(c.movedBytes()), bytes(c.flushedBytes()), secs(c.durationNanos()), c.complete() ? "" : " (INCOMPLETE)"));
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i < 2 ? pad(row[i], w[i]) : lpad(row[i], w[i])).append("  ");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String lpad(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }

    static String pct(double f) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * f);
    }

    static String secs(long ns) {
        double s = ns / 1e9;
        return s >= 1 ? String.format(Locale.ROOT, "%.2f s", s) : String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
    }

    static String bytes(long b) {
        String[] u = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = b;
        int i = 0;
        while (Math.abs(v) >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? b + " B" : String.format(Locale.ROOT, "%.1f %s", v, u[i]);
    }
}
