package io.tierfs.node.fsck;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one fsck run: what was checked, every problem found (sorted by kind, then subject), what a
 * repair changed, and how long the phases took. Exit code: 0 when clean, 1 when problems were found (repaired
 * or not; a second run tells whether the repair made it clean).
 */
public record FsckReport(FsckStats stats, List<Problem> problems, List<Change> changes, boolean repaired,
                         long checkMillis, long repairMillis) {
    public static final int EXIT_CLEAN = 0;
    public static final int EXIT_PROBLEMS = 1;

    public FsckReport {
        problems = List.copyOf(problems);
        changes = List.copyOf(changes);
    }

    public boolean clean() {
        return problems.isEmpty();
    }

    public int exitCode() {
        return clean() ? EXIT_CLEAN : EXIT_PROBLEMS;
    }

    /** Problems per kind, in the order of {@link ProblemKind}; only kinds that occur. */
    public Map<ProblemKind, Integer> countsByKind() {
        Map<ProblemKind, Integer> m = new EnumMap<>(ProblemKind.class);
        for (Problem p : problems) {
            m.merge(p.kind(), 1, Integer::sum);
        }
        return m;
    }

    /** The report with what a repair did. */
    public FsckReport withChanges(List<Change> done, long millis) {
        return new FsckReport(stats, problems, done, true, checkMillis, millis);
    }

    /**
     * Problems left after the repair: those whose repair failed or that have no safe repair and need an operator
     * (a settled pending rename needs nothing). Without a repair run: every problem that needs something done.
     */
    public long unrepaired() {
        java.util.Set<Problem> fixed = new java.util.HashSet<>();
        for (Change c : changes) {
            if (c.ok()) {
                fixed.add(c.problem());
            }
        }
        return problems.stream().filter(p -> !fixed.contains(p) && (p.repair().isPresent() || p.manual() != null)).count();
    }
}
