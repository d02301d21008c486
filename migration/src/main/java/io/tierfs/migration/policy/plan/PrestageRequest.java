package io.tierfs.migration.policy.plan;

import io.tierfs.migration.policy.Policy;
import io.tierfs.migration.policy.doc.Problem;
import io.tierfs.migration.policy.glob.Glob;
import io.tierfs.migration.policy.glob.GlobSyntaxException;

import java.util.ArrayList;
import java.util.List;

/**
 * A job's ask (Slurm prolog): bring these files to {@code targetTier} (or a faster tier) by {@code deadlineMillis}.
 * {@code paths} are absolute paths or globs, in the order the job will read them. The live side resolves them to
 * files; the planner matches them against the files it is given.
 */
public record PrestageRequest(String id, List<String> paths, String targetTier, long deadlineMillis) {
    public PrestageRequest {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a pre-stage request needs an id");
        }
        paths = List.copyOf(paths);
    }

    /** Every problem with this request under {@code policy} (unknown tier, bad glob, no paths). */
    public List<Problem> problems(Policy policy) {
        List<Problem> out = new ArrayList<>();
        if (paths.isEmpty()) {
            out.add(new Problem("/paths", "at least one path or glob is needed"));
        }
        for (int i = 0; i < paths.size(); i++) {
            try {
                Glob.compile(paths.get(i));
            } catch (GlobSyntaxException e) {
                out.add(new Problem("/paths/" + i, "bad glob '" + paths.get(i) + "': " + e.getMessage()));
            }
        }
        if (policy.tierIndex(targetTier).isEmpty()) {
            out.add(new Problem("/targetTier", "unknown tier '" + targetTier + "'"));
        }
        return out;
    }
}
