package io.tierfs.node.fsck;

import io.tierfs.node.cli.Bytes;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report for a terminal: one line per problem ({@code kind  where  detail  [what a repair does / did]}),
 * then the summary. Pure: writes to the given stream only.
 */
public final class ReportText {
    private ReportText() {
    }

    public static void print(FsckReport r, long totalMillis, PrintStream out) {
        Map<Problem, Change> done = new IdentityHashMap<>();
        for (Change c : r.changes()) {
            done.put(c.problem(), c);
        }
        for (Problem p : r.problems()) {
            out.println(line(p, r.repaired() ? done.get(p) : null, r.repaired()));
        }
        FsckStats s = r.stats();
        out.printf(Locale.ROOT, "fsck: %,d directories, %,d names, %,d files, %s (%s on the tiers, all copies) checked in %.1f s%n",
                s.directories(), s.names(), s.files(), Bytes.human(s.bytes()), Bytes.human(s.dataBytes()),
                totalMillis / 1000.0);
        if (r.clean()) {
            out.println("fsck: clean");
            return;
        }
        String kinds = r.countsByKind().entrySet().stream()
                .map(e -> e.getKey().label() + " " + e.getValue()).collect(Collectors.joining(", "));
        out.printf(Locale.ROOT, "fsck: %d problem(s): %s%n", r.problems().size(), kinds);
        long repairable = r.problems().stream().filter(p -> p.repair().isPresent()).count();
        if (r.repaired()) {
            long ok = r.changes().stream().filter(Change::ok).count();
            out.printf(Locale.ROOT, "fsck: repaired %d, %d failed, %d need an operator (%.1f s); run fsck again to confirm%n",
                    ok, r.changes().size() - ok, r.unrepaired() - (r.changes().size() - ok), r.repairMillis() / 1000.0);
        } else if (repairable > 0) {
            out.printf(Locale.ROOT, "fsck: --repair would fix %d of them%n", repairable);
        }
    }

    static String line(Problem p, Change change, boolean repairRun) {
        List<String> parts = new ArrayList<>();
        parts.add(String.format(Locale.ROOT, "%-16s", p.kind().label()));
        parts.add(p.subject());
        parts.add(p.detail());
        String tail;
        if (change != null) {
            tail = change.ok() ? "[repaired: " + change.describe() + "]" : "[" + change.describe() + "]";
        } else if (p.repair().isPresent()) {
            tail = repairRun ? "[not repaired]" : "[--repair: " + p.repair().get().describe() + "]";
        } else {
            tail = p.manual() == null ? "" : "[no repair: " + p.manual() + "]";
        }
        if (!tail.isEmpty()) {
            parts.add(tail);
        }
        return String.join("  ", parts);
    }
}
