package io.tierfs.migration.policy.doc;

import java.util.List;
import java.util.Map;

/**
 * What a rule selects. Every given criterion must hold (AND); within a list (paths, uids, gids) any element
 * may match (OR). An empty match selects every file.
 *
 * @param paths     path globs (see Glob); empty = any path
 * @param size      file size in bytes
 * @param uids      owner user ids; empty = any
 * @param gids      owner group ids; empty = any
 * @param mtimeAge  milliseconds since the last modification
 * @param atimeAge  milliseconds since the last access
 * @param heat      decayed access count at evaluation time
 * @param accesses  total access count
 * @param xattrs    {@code user.tierfs.*} attribute name to a value pattern ({@code *} and {@code ?});
 *                  "*" means "present with any value"
 */
public record Match(List<String> paths, Range size, List<Long> uids, List<Long> gids, Range mtimeAge,
                    Range atimeAge, DoubleRange heat, Range accesses, Map<String, String> xattrs) {
    public static final Match ALL = new Match(List.of(), Range.ANY, List.of(), List.of(), Range.ANY, Range.ANY,
            DoubleRange.ANY, Range.ANY, Map.of());

    public Match {
        paths = List.copyOf(paths);
        uids = List.copyOf(uids);
        gids = List.copyOf(gids);
        xattrs = Map.copyOf(xattrs);
    }
}
